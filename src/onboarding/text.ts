/**
 * Member-typed answers, made safe to show back in chat: no control, zero-width or direction
 * characters (which can hide or reorder text), no markup that could ping a channel or make a
 * link, one line, and a length limit the person is told about.
 */
/** Control characters other than a line break, and format characters (zero-width, direction). */
const INVISIBLE = /[^\P{Cc}\n]|\p{Cf}/gu;

export function cleanAnswer(raw: string | readonly string[] | undefined, multiline = false): string {
  const text = typeof raw === 'string' ? raw : (raw?.[0] ?? '');
  const cleaned = text
    .replace(INVISIBLE, '')
    .replace(/[<>]/g, '')
    .replace(/\*\*/g, '')
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 ($2)')
    .replace(/@(everyone|here|channel)\b/gi, '$1');
  const lines = cleaned.split(/\r?\n/).map((l) => l.replace(/\s+/g, ' ').trim());
  return (multiline ? lines.join('\n').replace(/\n{3,}/g, '\n\n') : lines.join(' ')).trim();
}

/** "mental health, young carers ,writing" → ["mental health", "young carers", "writing"]. */
export function tags(raw: string | readonly string[] | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of cleanAnswer(raw).split(/[,;]/)) {
    const tag = part.trim().toLowerCase();
    if (tag && !seen.has(tag)) {
      seen.add(tag);
      out.push(tag);
    }
  }
  return out;
}

export function choice(raw: string | readonly string[] | undefined): string | undefined {
  const value = typeof raw === 'string' ? raw : raw?.[0];
  return value === undefined || value === '' ? undefined : value;
}

export function choices(raw: string | readonly string[] | undefined): string[] {
  if (raw === undefined) return [];
  return (typeof raw === 'string' ? [raw] : [...raw]).filter((v) => v !== '');
}
