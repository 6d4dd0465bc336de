import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLACK_EVENTS } from '../../adapters/slack/index.js';

const manifest = readFileSync(new URL('../../slack-manifest.yml', import.meta.url), 'utf8');
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The "- item" lines of the YAML list under `key:` (the manifest keeps to simple block lists). */
function listUnder(key: string): string[] {
  const lines = manifest.split('\n');
  const start = lines.findIndex((l) => l.trim() === `${key}:`);
  expect(start, `manifest has no ${key}:`).toBeGreaterThanOrEqual(0);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim().startsWith('#')) continue;
    const m = /^\s+- (\S+)$/.exec(line);
    if (!m) break;
    items.push(m[1] as string);
  }
  return items;
}

describe('the Slack app manifest', () => {
  it('declares /copro with should_escape: true, so mentions arrive as <@U123|name>', () => {
    expect(manifest).toMatch(/- command: \/copro\n(\s+(\w+: .*|#.*)\n)*?\s+should_escape: true/);
  });

  it('subscribes to exactly the events the adapter handles', () => {
    expect(listUnder('bot_events').sort()).toEqual([...SLACK_EVENTS].sort());
  });

  it('turns on interactivity and the App Home tab', () => {
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
    expect(manifest).toMatch(/home_tab_enabled: true/);
  });

  it('asks only for the scopes README explains, each with a reason', () => {
    const scopes = listUnder('bot');
    expect(scopes.length).toBeGreaterThan(0);
    const section = readme.slice(
      readme.indexOf('## Connect to Slack'),
      readme.indexOf('## Connect to Discord'),
    );
    const documented = [...section.matchAll(/^\| `([a-z:.]+)` \| (.+) \|$/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...scopes].sort());
  });
});
