/* uvwasi's API over the host's wasi_snapshot_preview1 imports (see uvwasi.h).
 *
 * argv and environ come from the options, as in uvwasi. Descriptors are our
 * own table mapping the interpreted program's fds to the host's: 0-2 to the
 * options' in/out/err, then one per preopen (the real_path opened through
 * wasi-libc, so it resolves against the host's own preopens), then whatever
 * path_open returns. Everything else is a direct forward. */
#include "uvwasi.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

/* The raw imports for calls whose paths are (pointer, length) pairs:
 * wasi-libc's __wasi_path_* wrappers take NUL-terminated strings instead. */
#define WASI_IMPORT(name) \
  __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
WASI_IMPORT(path_filestat_get)
int32_t host_path_filestat_get(int32_t, int32_t, int32_t, int32_t, int32_t);
WASI_IMPORT(path_open)
int32_t host_path_open(int32_t, int32_t, int32_t, int32_t, int32_t, int64_t,
                       int64_t, int32_t, int32_t);
WASI_IMPORT(path_symlink)
int32_t host_path_symlink(int32_t, int32_t, int32_t, int32_t, int32_t);
WASI_IMPORT(path_unlink_file)
int32_t host_path_unlink_file(int32_t, int32_t, int32_t);

static uvwasi_errno_t copy_strings(const char** list, uvwasi_size_t count,
                                   char*** out, char** out_buf,
                                   uvwasi_size_t* out_size) {
  uvwasi_size_t size = 0;
  for (uvwasi_size_t i = 0; i < count; i++) size += strlen(list[i]) + 1;
  *out = calloc(count + 1, sizeof(char*));
  *out_buf = malloc(size ? size : 1);
  if (!*out || !*out_buf) return UVWASI_ENOMEM;
  char* p = *out_buf;
  for (uvwasi_size_t i = 0; i < count; i++) {
    size_t n = strlen(list[i]) + 1;
    memcpy(p, list[i], n);
    (*out)[i] = p;
    p += n;
  }
  *out_size = size;
  return UVWASI_ESUCCESS;
}

static uvwasi_errno_t add_fd(uvwasi_t* w, uvwasi_fd_t host_fd,
                             const char* mapped_path, uvwasi_fd_t* out) {
  uvwasi_size_t i = 0;
  while (i < w->fd_count && w->fds[i].used) i++;
  if (i == w->fd_count) {
    uvwasi_size_t count = w->fd_count ? w->fd_count * 2 : 8;
    uvwasi_fd_entry_t* fds = realloc(w->fds, count * sizeof *fds);
    if (!fds) return UVWASI_ENOMEM;
    memset(fds + w->fd_count, 0, (count - w->fd_count) * sizeof *fds);
    w->fds = fds;
    w->fd_count = count;
  }
  w->fds[i].used = 1;
  w->fds[i].host_fd = host_fd;
  w->fds[i].mapped_path = mapped_path ? strdup(mapped_path) : NULL;
  *out = i;
  return UVWASI_ESUCCESS;
}

/* The host's descriptor behind the interpreted program's `fd`, or -1. */
static int64_t host(uvwasi_t* w, uvwasi_fd_t fd) {
  if (fd >= w->fd_count || !w->fds[fd].used) return -1;
  return w->fds[fd].host_fd;
}

#define HOST_FD(w, fd, var)           \
  int64_t var##_ = host((w), (fd));   \
  if (var##_ < 0) return UVWASI_EBADF; \
  uvwasi_fd_t var = (uvwasi_fd_t)var##_

uvwasi_errno_t uvwasi_init(uvwasi_t* w, const uvwasi_options_t* o) {
  memset(w, 0, sizeof *w);
  uvwasi_errno_t err;
  w->argc = o->argc;
  err = copy_strings(o->argv, o->argc, &w->argv, &w->argv_buf,
                     &w->argv_buf_size);
  if (err) return err;
  uvwasi_size_t envc = 0;
  while (o->envp && o->envp[envc]) envc++;
  w->envc = envc;
  err = copy_strings(o->envp, envc, &w->env, &w->env_buf, &w->env_buf_size);
  if (err) return err;
  uvwasi_fd_t fd;
  if ((err = add_fd(w, o->in, NULL, &fd))) return err;
  if ((err = add_fd(w, o->out, NULL, &fd))) return err;
  if ((err = add_fd(w, o->err, NULL, &fd))) return err;
  for (uvwasi_size_t i = 0; i < o->preopenc; i++) {
    int dir = open(o->preopens[i].real_path, O_RDONLY | O_DIRECTORY);
    if (dir < 0) return UVWASI_EBADF;
    if ((err = add_fd(w, (uvwasi_fd_t)dir, o->preopens[i].mapped_path, &fd)))
      return err;
  }
  return UVWASI_ESUCCESS;
}

void uvwasi_destroy(uvwasi_t* w) {
  for (uvwasi_size_t i = 0; i < w->fd_count; i++) free(w->fds[i].mapped_path);
  free(w->fds);
  free(w->argv);
  free(w->argv_buf);
  free(w->env);
  free(w->env_buf);
  memset(w, 0, sizeof *w);
}

static uvwasi_errno_t strings_get(char** list, uvwasi_size_t count,
                                  const char* from_buf, char** out,
                                  char* out_buf, uvwasi_size_t size) {
  memcpy(out_buf, from_buf, size);
  for (uvwasi_size_t i = 0; i < count; i++)
    out[i] = out_buf + (list[i] - from_buf);
  return UVWASI_ESUCCESS;
}

uvwasi_errno_t uvwasi_args_get(uvwasi_t* w, char** argv, char* argv_buf) {
  return strings_get(w->argv, w->argc, w->argv_buf, argv, argv_buf,
                     w->argv_buf_size);
}

uvwasi_errno_t uvwasi_args_sizes_get(uvwasi_t* w, uvwasi_size_t* argc,
                                     uvwasi_size_t* argv_buf_size) {
  *argc = w->argc;
  *argv_buf_size = w->argv_buf_size;
  return UVWASI_ESUCCESS;
}

uvwasi_errno_t uvwasi_environ_get(uvwasi_t* w, char** environment,
                                  char* environ_buf) {
  return strings_get(w->env, w->envc, w->env_buf, environment, environ_buf,
                     w->env_buf_size);
}

uvwasi_errno_t uvwasi_environ_sizes_get(uvwasi_t* w,
                                        uvwasi_size_t* environ_count,
                                        uvwasi_size_t* environ_buf_size) {
  *environ_count = w->envc;
  *environ_buf_size = w->env_buf_size;
  return UVWASI_ESUCCESS;
}

uvwasi_errno_t uvwasi_clock_time_get(uvwasi_t* w, uvwasi_clockid_t clock_id,
                                     uvwasi_timestamp_t precision,
                                     uvwasi_timestamp_t* time) {
  (void)w;
  return __wasi_clock_time_get(clock_id, precision, time);
}

uvwasi_errno_t uvwasi_fd_close(uvwasi_t* w, uvwasi_fd_t fd) {
  HOST_FD(w, fd, h);
  /* stdio and preopens belong to the interpreter's own process */
  uvwasi_errno_t err = UVWASI_ESUCCESS;
  if (fd > 2 && !w->fds[fd].mapped_path) err = __wasi_fd_close(h);
  free(w->fds[fd].mapped_path);
  memset(&w->fds[fd], 0, sizeof w->fds[fd]);
  return err;
}

uvwasi_errno_t uvwasi_fd_fdstat_get(uvwasi_t* w, uvwasi_fd_t fd,
                                    uvwasi_fdstat_t* buf) {
  HOST_FD(w, fd, h);
  __wasi_fdstat_t s;
  uvwasi_errno_t err = __wasi_fd_fdstat_get(h, &s);
  if (err) return err;
  buf->fs_filetype = s.fs_filetype;
  buf->fs_flags = s.fs_flags;
  buf->fs_rights_base = s.fs_rights_base;
  buf->fs_rights_inheriting = s.fs_rights_inheriting;
  return UVWASI_ESUCCESS;
}

static void from_host_filestat(const __wasi_filestat_t* s,
                               uvwasi_filestat_t* buf) {
  buf->st_dev = s->dev;
  buf->st_ino = s->ino;
  buf->st_filetype = s->filetype;
  buf->st_nlink = s->nlink;
  buf->st_size = s->size;
  buf->st_atim = s->atim;
  buf->st_mtim = s->mtim;
  buf->st_ctim = s->ctim;
}

uvwasi_errno_t uvwasi_fd_filestat_get(uvwasi_t* w, uvwasi_fd_t fd,
                                      uvwasi_filestat_t* buf) {
  memset(buf, 0, sizeof *buf);
  HOST_FD(w, fd, h);
  __wasi_filestat_t s;
  uvwasi_errno_t err = __wasi_fd_filestat_get(h, &s);
  if (err) return err;
  from_host_filestat(&s, buf);
  return UVWASI_ESUCCESS;
}

uvwasi_errno_t uvwasi_fd_prestat_get(uvwasi_t* w, uvwasi_fd_t fd,
                                     uvwasi_prestat_t* buf) {
  memset(buf, 0, sizeof *buf);
  if (host(w, fd) < 0) return UVWASI_EBADF;
  if (!w->fds[fd].mapped_path) return UVWASI_EINVAL;
  buf->pr_type = UVWASI_PREOPENTYPE_DIR;
  buf->u.dir.pr_name_len = strlen(w->fds[fd].mapped_path);
  return UVWASI_ESUCCESS;
}

uvwasi_errno_t uvwasi_fd_prestat_dir_name(uvwasi_t* w, uvwasi_fd_t fd,
                                          char* path, uvwasi_size_t path_len) {
  if (host(w, fd) < 0) return UVWASI_EBADF;
  const char* name = w->fds[fd].mapped_path;
  if (!name) return UVWASI_EINVAL;
  size_t n = strlen(name);
  if (path_len < n) return 37; /* NAMETOOLONG */
  memcpy(path, name, n);
  return UVWASI_ESUCCESS;
}

uvwasi_errno_t uvwasi_fd_read(uvwasi_t* w, uvwasi_fd_t fd,
                              const uvwasi_iovec_t* iovs,
                              uvwasi_size_t iovs_len, uvwasi_size_t* nread) {
  HOST_FD(w, fd, h);
  /* same layout on wasm32: { pointer, 32-bit length } */
  _Static_assert(sizeof(uvwasi_iovec_t) == sizeof(__wasi_iovec_t), "iovec");
  __wasi_size_t n = 0;
  uvwasi_errno_t err =
      __wasi_fd_read(h, (const __wasi_iovec_t*)iovs, iovs_len, &n);
  *nread = n;
  return err;
}

uvwasi_errno_t uvwasi_fd_seek(uvwasi_t* w, uvwasi_fd_t fd,
                              uvwasi_filedelta_t offset, uvwasi_whence_t whence,
                              uvwasi_filesize_t* newoffset) {
  *newoffset = 0;
  HOST_FD(w, fd, h);
  return __wasi_fd_seek(h, offset, whence, newoffset);
}

uvwasi_errno_t uvwasi_fd_write(uvwasi_t* w, uvwasi_fd_t fd,
                               const uvwasi_ciovec_t* iovs,
                               uvwasi_size_t iovs_len,
                               uvwasi_size_t* nwritten) {
  HOST_FD(w, fd, h);
  _Static_assert(sizeof(uvwasi_ciovec_t) == sizeof(__wasi_ciovec_t), "ciovec");
  __wasi_size_t n = 0;
  uvwasi_errno_t err =
      __wasi_fd_write(h, (const __wasi_ciovec_t*)iovs, iovs_len, &n);
  *nwritten = n;
  return err;
}

uvwasi_errno_t uvwasi_path_filestat_get(uvwasi_t* w, uvwasi_fd_t fd,
                                        uvwasi_lookupflags_t flags,
                                        const char* path,
                                        uvwasi_size_t path_len,
                                        uvwasi_filestat_t* buf) {
  memset(buf, 0, sizeof *buf);
  HOST_FD(w, fd, h);
  __wasi_filestat_t s;
  uvwasi_errno_t err =
      host_path_filestat_get(
          h, flags, (intptr_t)path, path_len, (intptr_t)&s);
  if (err) return err;
  from_host_filestat(&s, buf);
  return UVWASI_ESUCCESS;
}

uvwasi_errno_t uvwasi_path_open(uvwasi_t* w, uvwasi_fd_t dirfd,
                                uvwasi_lookupflags_t dirflags,
                                const char* path, uvwasi_size_t path_len,
                                uvwasi_oflags_t o_flags,
                                uvwasi_rights_t fs_rights_base,
                                uvwasi_rights_t fs_rights_inheriting,
                                uvwasi_fdflags_t fs_flags, uvwasi_fd_t* fd) {
  *fd = 0;
  HOST_FD(w, dirfd, h);
  __wasi_fd_t opened;
  uvwasi_errno_t err = host_path_open(
      h, dirflags, (intptr_t)path, path_len, o_flags, fs_rights_base,
      fs_rights_inheriting, fs_flags, (intptr_t)&opened);
  if (err) return err;
  err = add_fd(w, opened, NULL, fd);
  if (err) (void)!__wasi_fd_close(opened);
  return err;
}

uvwasi_errno_t uvwasi_path_symlink(uvwasi_t* w, const char* old_path,
                                   uvwasi_size_t old_path_len, uvwasi_fd_t fd,
                                   const char* new_path,
                                   uvwasi_size_t new_path_len) {
  HOST_FD(w, fd, h);
  return host_path_symlink(
      (intptr_t)old_path, old_path_len, h, (intptr_t)new_path, new_path_len);
}

uvwasi_errno_t uvwasi_path_unlink_file(uvwasi_t* w, uvwasi_fd_t fd,
                                       const char* path,
                                       uvwasi_size_t path_len) {
  HOST_FD(w, fd, h);
  return host_path_unlink_file(h, (intptr_t)path,
                                                            path_len);
}

uvwasi_errno_t uvwasi_proc_exit(uvwasi_t* w, uvwasi_exitcode_t rval) {
  (void)w;
  __wasi_proc_exit(rval);
}

uvwasi_errno_t uvwasi_random_get(uvwasi_t* w, void* buf,
                                 uvwasi_size_t buf_len) {
  (void)w;
  return __wasi_random_get(buf, buf_len);
}

static void put(void* ptr, size_t offset, const void* value, size_t size) {
  memcpy((char*)ptr + offset, value, size); /* wasm32 is little-endian */
}

void uvwasi_serdes_write_fdstat_t(void* ptr, size_t offset,
                                  const uvwasi_fdstat_t* v) {
  put(ptr, offset + 0, &v->fs_filetype, 1);
  put(ptr, offset + 2, &v->fs_flags, 2);
  put(ptr, offset + 8, &v->fs_rights_base, 8);
  put(ptr, offset + 16, &v->fs_rights_inheriting, 8);
}

void uvwasi_serdes_write_filestat_t(void* ptr, size_t offset,
                                    const uvwasi_filestat_t* v) {
  put(ptr, offset + 0, &v->st_dev, 8);
  put(ptr, offset + 8, &v->st_ino, 8);
  put(ptr, offset + 16, &v->st_filetype, 1);
  put(ptr, offset + 24, &v->st_nlink, 8);
  put(ptr, offset + 32, &v->st_size, 8);
  put(ptr, offset + 40, &v->st_atim, 8);
  put(ptr, offset + 48, &v->st_mtim, 8);
  put(ptr, offset + 56, &v->st_ctim, 8);
}

void uvwasi_serdes_write_prestat_t(void* ptr, size_t offset,
                                   const uvwasi_prestat_t* v) {
  uint32_t tag = v->pr_type;
  put(ptr, offset + 0, &tag, 1);
  put(ptr, offset + 4, &v->u.dir.pr_name_len, 4);
}
