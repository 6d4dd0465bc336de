import { ComponentType } from 'discord-api-types/v10';

/**
 * The checks Discord applies to message and modal bodies, so the fake answers 400 exactly where
 * Discord would. Each problem is a short sentence naming the path, like Discord's error tree.
 */
// biome-ignore lint/suspicious/noExplicitAny: request bodies are untrusted JSON, checked field by field
type Json = any;

export function messageProblems(body: Json, { partial = false } = {}): string[] {
  const problems: string[] = [];
  const content: unknown = body?.content;
  const embeds: Json[] = body?.embeds ?? [];
  const rows: Json[] = body?.components ?? [];
  if (content !== undefined && typeof content !== 'string') problems.push('content: must be a string');
  if (typeof content === 'string' && content.length > 2000)
    problems.push('content: must be 2000 or fewer in length');
  if (embeds.length > 10) problems.push('embeds: must be 10 or fewer in length');
  const embedChars = embeds.reduce((n: number, e: Json) => n + JSON.stringify(e).length, 0);
  if (embedChars > 6000) problems.push('embeds: total size exceeds 6000 characters');
  if (rows.length > 5) problems.push('components: must be 5 or fewer in length');
  const ids = new Set<string>();
  rows.forEach((row, r) => {
    if (row.type !== ComponentType.ActionRow) problems.push(`components.${r}: must be an action row`);
    const items: Json[] = row.components ?? [];
    if (items.length === 0 || items.length > 5) problems.push(`components.${r}: must hold 1 to 5 components`);
    const selects = items.filter((c) => c.type === ComponentType.StringSelect).length;
    if (selects > 0 && items.length > 1) problems.push(`components.${r}: a select must be alone in its row`);
    items.forEach((c, i) => {
      const at = `components.${r}.components.${i}`;
      if (typeof c.custom_id === 'string') {
        if (c.custom_id.length > 100) problems.push(`${at}.custom_id: must be 100 or fewer in length`);
        if (ids.has(c.custom_id)) problems.push(`${at}.custom_id: component custom id cannot be duplicated`);
        ids.add(c.custom_id);
      }
      if (c.type === ComponentType.Button) {
        if (!c.label || c.label.length > 80) problems.push(`${at}.label: must be 1 to 80 in length`);
      } else if (c.type === ComponentType.StringSelect) {
        problems.push(...selectProblems(c, at));
      } else {
        problems.push(`${at}: unsupported component type ${c.type}`);
      }
    });
  });
  const empty =
    (typeof content !== 'string' || content.length === 0) && embeds.length === 0 && rows.length === 0;
  if (empty && !partial) problems.push('Cannot send an empty message');
  return problems;
}

function selectProblems(select: Json, at: string): string[] {
  const problems: string[] = [];
  const options: Json[] = select.options ?? [];
  if (options.length < 1 || options.length > 25) problems.push(`${at}.options: must hold 1 to 25 options`);
  if (select.placeholder && select.placeholder.length > 150) problems.push(`${at}.placeholder: too long`);
  const values = new Set<string>();
  options.forEach((o, i) => {
    if (!o.label || o.label.length > 100)
      problems.push(`${at}.options.${i}.label: must be 1 to 100 in length`);
    if (!o.value || o.value.length > 100)
      problems.push(`${at}.options.${i}.value: must be 1 to 100 in length`);
    if (o.description && o.description.length > 100)
      problems.push(`${at}.options.${i}.description: too long`);
    if (values.has(o.value)) problems.push(`${at}.options.${i}.value: duplicated`);
    values.add(o.value);
  });
  if ((select.max_values ?? 1) > options.length) problems.push(`${at}.max_values: more than the options`);
  return problems;
}

export function modalProblems(body: Json): string[] {
  const problems: string[] = [];
  if (!body?.title || body.title.length > 45) problems.push('title: must be 1 to 45 in length');
  if (!body?.custom_id || body.custom_id.length > 100) problems.push('custom_id: must be 1 to 100 in length');
  const items: Json[] = body?.components ?? [];
  if (items.length < 1 || items.length > 5) problems.push('components: must hold 1 to 5 components');
  const ids = new Set<string>();
  items.forEach((label, i) => {
    const at = `components.${i}`;
    if (label.type !== ComponentType.Label) {
      problems.push(`${at}: use a label component`);
      return;
    }
    if (!label.label || label.label.length > 45) problems.push(`${at}.label: must be 1 to 45 in length`);
    if (label.description && label.description.length > 100) problems.push(`${at}.description: too long`);
    const c = label.component;
    if (ids.has(c?.custom_id)) problems.push(`${at}.component.custom_id: duplicated`);
    ids.add(c?.custom_id);
    if (c?.type === ComponentType.TextInput) {
      if (c.label !== undefined) problems.push(`${at}.component.label: not allowed inside a label`);
      if (c.value && c.value.length > 4000) problems.push(`${at}.component.value: too long`);
    } else if (c?.type === ComponentType.StringSelect) {
      problems.push(...selectProblems(c, `${at}.component`));
    } else {
      problems.push(`${at}.component: unsupported type ${c?.type}`);
    }
  });
  return problems;
}
