/**
 * The Block Kit limits Slack enforces, checked the way Slack checks them: a message or view that
 * breaks one is refused with `invalid_blocks` / `invalid_arguments`. Only the block and element
 * types copro sends are known; anything else is reported as unsupported so that a new kind of
 * block gets a check here before it reaches a real workspace.
 */
type Surface = 'message' | 'modal' | 'home';

type Obj = Record<string, unknown>;

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

export function blockProblems(blocks: readonly unknown[], surface: Surface): string[] {
  const problems: string[] = [];
  if (blocks.length > MAX_BLOCKS[surface]) {
    problems.push(`too many blocks: ${blocks.length} > ${MAX_BLOCKS[surface]}`);
  }
  const blockIds = new Set<string>();
  blocks.forEach((raw, i) => {
    const at = `blocks[${i}]`;
    const block = raw as Obj;
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) problems.push(`${at}: duplicate block_id ${block.block_id}`);
      blockIds.add(block.block_id);
      if (block.block_id.length > 255) problems.push(`${at}: block_id longer than 255`);
    }
    switch (block.type) {
      case 'header':
        textProblems(block.text, at, 'plain_text', 150, problems);
        break;
      case 'section': {
        if (!block.text && !block.fields) problems.push(`${at}: a section needs text or fields`);
        if (block.text) textProblems(block.text, `${at}.text`, 'any', 3000, problems);
        if (block.fields) {
          const fields = block.fields as unknown[];
          if (fields.length > 10) problems.push(`${at}: more than 10 fields`);
          fields.forEach((f, j) => {
            textProblems(f, `${at}.fields[${j}]`, 'any', 2000, problems);
          });
        }
        if (block.accessory) elementProblems(block.accessory as Obj, `${at}.accessory`, problems);
        break;
      }
      case 'actions': {
        const elements = (block.elements as Obj[] | undefined) ?? [];
        if (elements.length === 0 || elements.length > 25) {
          problems.push(`${at}: an actions block holds 1 to 25 elements, not ${elements.length}`);
        }
        const actionIds = new Set<string>();
        elements.forEach((e, j) => {
          elementProblems(e, `${at}.elements[${j}]`, problems);
          const id = e.action_id as string | undefined;
          if (id && actionIds.has(id)) problems.push(`${at}: duplicate action_id ${id}`);
          if (id) actionIds.add(id);
        });
        break;
      }
      case 'context': {
        const elements = (block.elements as unknown[] | undefined) ?? [];
        if (elements.length === 0 || elements.length > 10)
          problems.push(`${at}: a context holds 1 to 10 elements`);
        elements.forEach((e, j) => {
          textProblems(e, `${at}.elements[${j}]`, 'any', 3000, problems);
        });
        break;
      }
      case 'divider':
        break;
      case 'input': {
        if (surface === 'message') problems.push(`${at}: input blocks belong in modals`);
        textProblems(block.label, `${at}.label`, 'plain_text', 2000, problems);
        if (block.hint) textProblems(block.hint, `${at}.hint`, 'plain_text', 2000, problems);
        elementProblems(block.element as Obj, `${at}.element`, problems);
        break;
      }
      default:
        problems.push(`${at}: unsupported block type ${String(block.type)}`);
    }
  });
  return problems;
}

function textProblems(raw: unknown, at: string, kind: 'plain_text' | 'any', max: number, problems: string[]) {
  const t = raw as Obj | undefined;
  if (!t || typeof t.text !== 'string') {
    problems.push(`${at}: missing text object`);
    return;
  }
  if (kind === 'plain_text' && t.type !== 'plain_text') problems.push(`${at}: must be plain_text`);
  if (t.type !== 'plain_text' && t.type !== 'mrkdwn')
    problems.push(`${at}: unknown text type ${String(t.type)}`);
  if (t.text.length === 0) problems.push(`${at}: text must not be empty`);
  if (t.text.length > max) problems.push(`${at}: text longer than ${max} (${t.text.length})`);
}

function elementProblems(e: Obj | undefined, at: string, problems: string[]) {
  if (!e) {
    problems.push(`${at}: missing element`);
    return;
  }
  if (typeof e.action_id === 'string' && e.action_id.length > 255)
    problems.push(`${at}: action_id longer than 255`);
  if (e.placeholder) textProblems(e.placeholder, `${at}.placeholder`, 'plain_text', 150, problems);
  switch (e.type) {
    case 'button':
      textProblems(e.text, `${at}.text`, 'plain_text', 75, problems);
      if (typeof e.value === 'string' && e.value.length > 2000)
        problems.push(`${at}: value longer than 2000`);
      if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger')
        problems.push(`${at}: bad style`);
      break;
    case 'static_select':
    case 'multi_static_select':
      optionsProblems(e, at, 100, problems);
      break;
    case 'checkboxes':
      optionsProblems(e, at, 10, problems);
      break;
    case 'plain_text_input':
      if (typeof e.max_length === 'number' && (e.max_length < 1 || e.max_length > 3000)) {
        problems.push(`${at}: max_length must be 1 to 3000`);
      }
      if (typeof e.initial_value === 'string' && e.initial_value.length > 3000)
        problems.push(`${at}: initial_value too long`);
      break;
    default:
      problems.push(`${at}: unsupported element type ${String(e.type)}`);
  }
}

function optionsProblems(e: Obj, at: string, max: number, problems: string[]) {
  const groups = e.option_groups as Obj[] | undefined;
  const options = e.options as Obj[] | undefined;
  if (groups && options) problems.push(`${at}: options and option_groups are exclusive`);
  const lists: [string, Obj[]][] = groups
    ? groups.map((g, k) => {
        textProblems(g.label, `${at}.option_groups[${k}].label`, 'plain_text', 75, problems);
        return [`${at}.option_groups[${k}]`, (g.options as Obj[] | undefined) ?? []];
      })
    : [[at, options ?? []]];
  if (groups && groups.length > 100) problems.push(`${at}: more than 100 option groups`);
  for (const [where, list] of lists) {
    if (list.length === 0) problems.push(`${where}: no options`);
    if (list.length > max) problems.push(`${where}: more than ${max} options (${list.length})`);
    list.forEach((o, k) => {
      textProblems(o.text, `${where}.options[${k}].text`, 'any', 75, problems);
      if (typeof o.value !== 'string' || o.value.length === 0 || o.value.length > 150) {
        problems.push(`${where}.options[${k}]: value must be 1 to 150 characters`);
      }
      if (o.description)
        textProblems(o.description, `${where}.options[${k}].description`, 'plain_text', 75, problems);
    });
  }
}
