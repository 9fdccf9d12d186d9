// The JS property name jco gives a WIT label, shared by the canonical ABI's records, flags and
// exports and resource classes (component/) and WAVE's conversion of JS values (wave.ts).

/** kebab-case label → jco's lowerCamelCase (`get-arguments` → `getArguments`, `parse-XML` → `parseXml`). */
export function camel(label: string): string {
  const words = label.split('-');
  let s = words[0] === words[0].toUpperCase() ? words[0].toLowerCase() : words[0];
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    s += w === w.toUpperCase() ? w[0] + w.slice(1).toLowerCase() : w[0].toUpperCase() + w.slice(1);
  }
  return s;
}

/** kebab-case resource name → jco's UpperCamelCase class name (`XML-parser` → `XmlParser`). */
export function className(name: string): string {
  const c = camel(name);
  return c[0].toUpperCase() + c.slice(1);
}
