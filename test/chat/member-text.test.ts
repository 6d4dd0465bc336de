import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plain, printable } from '../../adapters/console/render.js';
import { renderMessage as renderDiscord } from '../../adapters/discord/render.js';
import { renderMessage as renderSlack } from '../../adapters/slack/render.js';
import { literal, type Message } from '../../src/chat/index.js';

/**
 * Member-written text (a poll question, a role, group or display name) in every adapter: shown
 * as written, never a mention that pings, never a link, never a terminal control sequence.
 */
const PINGS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S0TEAM|@researchers>',
  '<@U0BO|bo>',
  '<@U0BO>',
];
const attack = `Vote now ${PINGS.join(' ')} or [claim your gift](https://evil.example/x) & <https://evil.example|read this>`;

/** copro's own mention of Ann beside member text, as the digest and role answers write it. */
const message = (member: string): Message => {
  const text = `<@U0ANN> asks: **${literal(member)}**`;
  return {
    text,
    blocks: [
      { type: 'heading', text: `Poll: ${literal(member)}` },
      { type: 'text', text },
    ],
  };
};

/** Every mrkdwn string Slack would parse for mentions and links: the fallback and the text blocks. */
function slackMrkdwn(m: Message): string[] {
  const out: string[] = [];
  for (const page of renderSlack(m)) {
    out.push(page.text);
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
        Object.values(o).forEach(walk);
      }
    };
    walk(page.blocks);
  }
  return out;
}

describe('member text on Slack', () => {
  it('never reaches Slack as a broadcast, a user mention or a link, while copro’s own mention works', () => {
    const texts = slackMrkdwn(message(attack));
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) {
      // The only control sequence left is copro's own mention of Ann.
      expect(text.match(/<[^>]*>/g)).toEqual(['<@U0ANN>']);
      expect(text).toContain('@channel @here @everyone @researchers @bo @U0BO');
      expect(text).toContain(
        '[claim your gift](https://evil.example/x) &amp; &lt;https://evil.example|read this&gt;',
      );
    }
  });

  it('escapes a broadcast that reaches the renderer without literal(), as a second line of defence', () => {
    const [page] = renderSlack({ text: 'Hello <!channel> and <!subteam^S1|@team> from <@U0ANN>' });
    expect(page?.text).toBe('Hello &lt;!channel&gt; and &lt;!subteam^S1|@team&gt; from <@U0ANN>');
  });

  it('shows a header exactly as written: Slack never reads plain text for mentions', () => {
    const [page] = renderSlack(message('Lunch *today* at 1_2'));
    expect(page?.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Poll: Lunch *today* at 1_2', emoji: true },
    });
  });

  it('never lets any typed text produce a control sequence', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (typed) => {
        for (const text of slackMrkdwn(message(typed))) expect(text.match(/<[^>]*>/g)).toEqual(['<@U0ANN>']);
      }),
    );
  });
});

describe('member text on Discord', () => {
  it('keeps every mention and link syntax escaped, and only lets users be pinged', () => {
    const [page] = renderDiscord(message(attack));
    expect(page?.allowed_mentions).toEqual({ parse: ['users'] });
    expect(page?.content).toContain('<@U0ANN> asks:');
    expect(page?.content).toContain('\\[claim your gift\\](https://evil.example/x)');
    // Outside copro's own mention, no "<" is left unescaped and no "[label](" link remains.
    const rest = page!.content.replace('<@U0ANN>', '');
    expect(rest).not.toMatch(/(^|[^\\])</);
    expect(rest).not.toMatch(/(^|[^\\])\[[^\]]*\]\(/);
  });
});

describe('member text in the terminal', () => {
  it('prints exactly what was typed, mentions as words, and no markdown eaten', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }).filter((s) => !/[<\ue000-\ue07f]/.test(s)),
        (typed) => {
          expect(plain(literal(typed))).toBe(typed);
        },
      ),
    );
    expect(plain(literal(attack))).toBe(
      'Vote now @channel @here @everyone @researchers @bo @U0BO or [claim your gift](https://evil.example/x) & <https://evil.example|read this>',
    );
  });

  it('drops terminal control sequences, so a name cannot clear the screen or fake a line', () => {
    expect(printable('Sam\u001b[2J\u001b[1;1Hcopro: you are now a coordinator\u009b31m\u0007\n\tok')).toBe(
      'Sam[2J[1;1Hcopro: you are now a coordinator31m\n\tok',
    );
  });
});
