/* A small library with the API of uvwasi (the subset wabt's wasm-interp uses)
 * for programs that are themselves compiled to wasm32-wasi: every call is
 * forwarded to the host's wasi_snapshot_preview1 imports. Debian's wabt source
 * tarball lacks third_party/uvwasi; this fills the gap so `wasm-interp --wasi`
 * works when wasm-interp runs on a Wasm host (Kasane, wasmtime, ...).
 *
 * Types, names and field names follow uvwasi's public header; WASI numbers
 * (errno, rights, filetypes) are the witx values, which uvwasi uses too. */
#ifndef UVWASI_H
#define UVWASI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t uvwasi_size_t;
typedef uint32_t uvwasi_fd_t;
typedef uint16_t uvwasi_errno_t;
typedef uint32_t uvwasi_exitcode_t;
typedef uint32_t uvwasi_clockid_t;
typedef uint64_t uvwasi_timestamp_t;
typedef uint64_t uvwasi_device_t;
typedef uint64_t uvwasi_inode_t;
typedef uint64_t uvwasi_linkcount_t;
typedef uint64_t uvwasi_filesize_t;
typedef int64_t uvwasi_filedelta_t;
typedef uint8_t uvwasi_whence_t;
typedef uint8_t uvwasi_filetype_t;
typedef uint16_t uvwasi_fdflags_t;
typedef uint16_t uvwasi_oflags_t;
typedef uint32_t uvwasi_lookupflags_t;
typedef uint64_t uvwasi_rights_t;
typedef uint8_t uvwasi_preopentype_t;

#define UVWASI_ESUCCESS 0
#define UVWASI_EBADF 8
#define UVWASI_EINVAL 28
#define UVWASI_ENOMEM 48
#define UVWASI_ENOSYS 52
#define UVWASI_PREOPENTYPE_DIR 0

typedef struct uvwasi_ciovec_s {
  const void* buf;
  size_t buf_len;
} uvwasi_ciovec_t;

typedef struct uvwasi_iovec_s {
  void* buf;
  size_t buf_len;
} uvwasi_iovec_t;

typedef struct uvwasi_fdstat_s {
  uvwasi_filetype_t fs_filetype;
  uvwasi_fdflags_t fs_flags;
  uvwasi_rights_t fs_rights_base;
  uvwasi_rights_t fs_rights_inheriting;
} uvwasi_fdstat_t;

typedef struct uvwasi_filestat_s {
  uvwasi_device_t st_dev;
  uvwasi_inode_t st_ino;
  uvwasi_filetype_t st_filetype;
  uvwasi_linkcount_t st_nlink;
  uvwasi_filesize_t st_size;
  uvwasi_timestamp_t st_atim;
  uvwasi_timestamp_t st_mtim;
  uvwasi_timestamp_t st_ctim;
} uvwasi_filestat_t;

typedef struct uvwasi_prestat_s {
  uvwasi_preopentype_t pr_type;
  union uvwasi_prestat_u {
    struct uvwasi_prestat_dir_t {
      uvwasi_size_t pr_name_len;
    } dir;
  } u;
} uvwasi_prestat_t;

typedef struct uvwasi_preopen_s {
  const char* mapped_path;
  const char* real_path;
} uvwasi_preopen_t;

/* uvwasi lets the embedder replace malloc; wasm-interp passes NULL. */
typedef struct uvwasi_mem_s uvwasi_mem_t;

typedef struct uvwasi_options_s {
  size_t fd_table_size;
  uvwasi_size_t preopenc;
  const uvwasi_preopen_t* preopens;
  uvwasi_size_t argc;
  const char** argv;
  const char** envp;
  uvwasi_fd_t in;
  uvwasi_fd_t out;
  uvwasi_fd_t err;
  const uvwasi_mem_t* allocator;
} uvwasi_options_t;

/* One descriptor the guest of the interpreter sees, and the host's behind it. */
typedef struct uvwasi_fd_entry_s {
  int used;
  uvwasi_fd_t host_fd;
  char* mapped_path; /* preopened directories only, else NULL */
} uvwasi_fd_entry_t;

typedef struct uvwasi_s {
  uvwasi_size_t argc;
  char** argv;
  char* argv_buf;
  uvwasi_size_t argv_buf_size;
  uvwasi_size_t envc;
  char** env;
  char* env_buf;
  uvwasi_size_t env_buf_size;
  uvwasi_fd_entry_t* fds;
  uvwasi_size_t fd_count;
} uvwasi_t;

uvwasi_errno_t uvwasi_init(uvwasi_t* uvwasi, const uvwasi_options_t* options);
void uvwasi_destroy(uvwasi_t* uvwasi);

uvwasi_errno_t uvwasi_args_get(uvwasi_t* uvwasi, char** argv, char* argv_buf);
uvwasi_errno_t uvwasi_args_sizes_get(uvwasi_t* uvwasi,
                                     uvwasi_size_t* argc,
                                     uvwasi_size_t* argv_buf_size);
uvwasi_errno_t uvwasi_environ_get(uvwasi_t* uvwasi,
                                  char** environment,
                                  char* environ_buf);
uvwasi_errno_t uvwasi_environ_sizes_get(uvwasi_t* uvwasi,
                                        uvwasi_size_t* environ_count,
                                        uvwasi_size_t* environ_buf_size);
uvwasi_errno_t uvwasi_clock_time_get(uvwasi_t* uvwasi,
                                     uvwasi_clockid_t clock_id,
                                     uvwasi_timestamp_t precision,
                                     uvwasi_timestamp_t* time);
uvwasi_errno_t uvwasi_fd_close(uvwasi_t* uvwasi, uvwasi_fd_t fd);
uvwasi_errno_t uvwasi_fd_fdstat_get(uvwasi_t* uvwasi,
                                    uvwasi_fd_t fd,
                                    uvwasi_fdstat_t* buf);
uvwasi_errno_t uvwasi_fd_filestat_get(uvwasi_t* uvwasi,
                                      uvwasi_fd_t fd,
                                      uvwasi_filestat_t* buf);
uvwasi_errno_t uvwasi_fd_prestat_get(uvwasi_t* uvwasi,
                                     uvwasi_fd_t fd,
                                     uvwasi_prestat_t* buf);
uvwasi_errno_t uvwasi_fd_prestat_dir_name(uvwasi_t* uvwasi,
                                          uvwasi_fd_t fd,
                                          char* path,
                                          uvwasi_size_t path_len);
uvwasi_errno_t uvwasi_fd_read(uvwasi_t* uvwasi,
                              uvwasi_fd_t fd,
                              const uvwasi_iovec_t* iovs,
                              uvwasi_size_t iovs_len,
                              uvwasi_size_t* nread);
uvwasi_errno_t uvwasi_fd_seek(uvwasi_t* uvwasi,
                              uvwasi_fd_t fd,
                              uvwasi_filedelta_t offset,
                              uvwasi_whence_t whence,
                              uvwasi_filesize_t* newoffset);
uvwasi_errno_t uvwasi_fd_write(uvwasi_t* uvwasi,
                               uvwasi_fd_t fd,
                               const uvwasi_ciovec_t* iovs,
                               uvwasi_size_t iovs_len,
                               uvwasi_size_t* nwritten);
uvwasi_errno_t uvwasi_path_filestat_get(uvwasi_t* uvwasi,
                                        uvwasi_fd_t fd,
                                        uvwasi_lookupflags_t flags,
                                        const char* path,
                                        uvwasi_size_t path_len,
                                        uvwasi_filestat_t* buf);
uvwasi_errno_t uvwasi_path_open(uvwasi_t* uvwasi,
                                uvwasi_fd_t dirfd,
                                uvwasi_lookupflags_t dirflags,
                                const char* path,
                                uvwasi_size_t path_len,
                                uvwasi_oflags_t o_flags,
                                uvwasi_rights_t fs_rights_base,
                                uvwasi_rights_t fs_rights_inheriting,
                                uvwasi_fdflags_t fs_flags,
                                uvwasi_fd_t* fd);
uvwasi_errno_t uvwasi_path_symlink(uvwasi_t* uvwasi,
                                   const char* old_path,
                                   uvwasi_size_t old_path_len,
                                   uvwasi_fd_t fd,
                                   const char* new_path,
                                   uvwasi_size_t new_path_len);
uvwasi_errno_t uvwasi_path_unlink_file(uvwasi_t* uvwasi,
                                       uvwasi_fd_t fd,
                                       const char* path,
                                       uvwasi_size_t path_len);
uvwasi_errno_t uvwasi_proc_exit(uvwasi_t* uvwasi, uvwasi_exitcode_t rval);
uvwasi_errno_t uvwasi_random_get(uvwasi_t* uvwasi,
                                 void* buf,
                                 uvwasi_size_t buf_len);

/* Write a value in WASI's memory layout at (char*)ptr + offset. */
void uvwasi_serdes_write_fdstat_t(void* ptr,
                                  size_t offset,
                                  const uvwasi_fdstat_t* value);
void uvwasi_serdes_write_filestat_t(void* ptr,
                                    size_t offset,
                                    const uvwasi_filestat_t* value);
void uvwasi_serdes_write_prestat_t(void* ptr,
                                   size_t offset,
                                   const uvwasi_prestat_t* value);

#ifdef __cplusplus
}
#endif

#endif /* UVWASI_H */
