import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLACK_BOT_SCOPES } from '../../adapters/slack/credentials.js';
import { SLACK_EVENTS } from '../../adapters/slack/index.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const manifests = {
  http: read('slack-manifest.http.yml'),
  socket: read('slack-manifest.socket.yml'),
};
const readme = read('README.md');
const slackSection = readme.slice(
  readme.indexOf('## Connect to Slack'),
  readme.indexOf('## Connect to Discord'),
);

/** The "- item" lines of the YAML list under `key:` (the manifests keep to simple block lists). */
function listUnder(manifest: string, key: string): string[] {
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

/** The settings lines, without comments and without what differs between the two ways of connecting. */
function sharedPart(manifest: string): string[] {
  return manifest
    .split('\n')
    .filter((l) => !l.trim().startsWith('#'))
    .filter((l) => !/^\s+(url|request_url): /.test(l) && !/^\s+socket_mode_enabled: /.test(l));
}

describe.each(Object.entries(manifests))('the Slack app manifest for %s mode', (mode, manifest) => {
  it('declares /copro with should_escape: true, so mentions arrive as <@U123|name>', () => {
    expect(manifest).toMatch(/- command: \/copro\n(\s+(\w+: .*|#.*)\n)*?\s+should_escape: true/);
  });

  it('subscribes to exactly the events the adapter handles', () => {
    expect(listUnder(manifest, 'bot_events').sort()).toEqual([...SLACK_EVENTS].sort());
  });

  it('turns on interactivity and the App Home tab', () => {
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
    expect(manifest).toMatch(/home_tab_enabled: true/);
  });

  it('asks for exactly the scopes copro checks at start, which README lists with a reason each', () => {
    expect(listUnder(manifest, 'bot').sort()).toEqual([...SLACK_BOT_SCOPES].sort());
    const documented = [...slackSection.matchAll(/^\| `([a-z:.]+)` \| (.+) \|$/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...SLACK_BOT_SCOPES].sort());
  });

  if (mode === 'socket') {
    it('turns Socket Mode on and names no address, so Slack asks for no public URL', () => {
      expect(manifest).toMatch(/^\s+socket_mode_enabled: true$/m);
      expect(manifest).not.toMatch(/^\s+(url|request_url): /m);
    });
  } else {
    it('sends commands, clicks and events to POST /slack/events at the address to fill in', () => {
      expect(manifest).toMatch(/^\s+socket_mode_enabled: false$/m);
      const urls = [...manifest.matchAll(/^\s+(?:url|request_url): (\S+)$/gm)].map((m) => m[1]);
      expect(urls).toEqual(Array(3).fill('https://copro.example.org/slack/events'));
    });
  }
});

describe('the two Slack manifests', () => {
  it('differ only in how Slack reaches copro', () => {
    expect(sharedPart(manifests.socket)).toEqual(sharedPart(manifests.http));
  });

  it('are both named in README, each for its way of connecting', () => {
    expect(slackSection).toContain('[`slack-manifest.socket.yml`](slack-manifest.socket.yml)');
    expect(slackSection).toContain('[`slack-manifest.http.yml`](slack-manifest.http.yml)');
  });
});
