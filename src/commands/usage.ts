import type { CommandSpec, OptionSpec } from './types.js';

/** How an option is shown in a usage line: its placeholder, or its name in capitals. */
export function placeholder(o: OptionSpec): string {
  if (o.placeholder) return o.placeholder;
  if (o.type === 'user') return `@${o.name === 'user' ? 'person' : o.name}`;
  if (o.type === 'text') return `"${o.name}"`;
  return o.name.toUpperCase();
}

/** The one-line usage shown in help and in every parse error: "/copro role add @person ROLE". */
export function usageLine(spec: CommandSpec): string {
  const parts = ['/copro', ...spec.path];
  for (const o of spec.options) {
    if (o.named) {
      parts.push(o.type === 'flag' ? `[--${o.name}]` : `[--${o.name} ${placeholder(o)}]`);
    } else {
      parts.push(o.required ? placeholder(o) : `[${placeholder(o)}]`);
    }
  }
  return parts.join(' ');
}
