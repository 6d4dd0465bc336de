/**
 * A week of activity in many groups, written straight into the tables with set-based SQL (one
 * statement per table), so that setting up a thousand groups takes seconds, not the hours the
 * commands would. Each group gets what every digest section reads, so no section is quiet:
 * newcomers (some with their welcome finished), roles given, taken away and given privately,
 * open and closed polls with votes, a meeting held with decisions and two coming up with agenda
 * items and answers, a buddy round with follow-ups, hours given and feedback closed.
 */
import type { Sql } from 'postgres';

export interface WeekShape {
  readonly groups: number;
  readonly membersPerGroup: number;
  /** The digest is due at the end of the week: one week after `weekStart`. */
  readonly weekStart: Date;
}

export async function seedWeek(sql: Sql, shape: WeekShape): Promise<void> {
  const { groups, membersPerGroup: size } = shape;
  const start = shape.weekStart.toISOString();
  // Times inside the week, and long before it.
  const at = (days: number) => sql`(${start}::timestamptz + ${`${days} days`}::interval)`;
  const old = sql`(${start}::timestamptz - interval '90 days')`;

  await sql`insert into groups (platform, workspace_id, home_channel_id, name, timezone, created_at)
    select 'slack', 'TBENCH', 'C' || n, 'Group ' || n, 'Europe/London', ${old}
    from generate_series(1, ${groups}) n order by n`;
  await sql`insert into members (platform, workspace_id, user_id, display_name, created_at)
    select 'slack', 'TBENCH', 'U' || g.id || '_' || i, 'Member ' || g.id || '-' || i, ${old}
    from groups g cross join generate_series(0, ${size - 1}) i`;
  // Who is who: the group and the member's place in it, for the statements below.
  await sql`create table bench_people as
    select g.id as group_id, i, m.id as member_id
    from groups g cross join generate_series(0, ${size - 1}) i
    join members m on m.workspace_id = 'TBENCH' and m.user_id = 'U' || g.id || '_' || i`;
  // Members 0-2 joined this week; the rest long ago.
  await sql`insert into group_members (group_id, member_id, joined_at)
    select group_id, member_id, case when i < 3 then ${at(2)} else ${old} end from bench_people`;
  await sql`insert into roles (group_id, key, name, description, built_in, sensitive)
    select g.id, r.key, r.name, r.name, true, r.sensitive from groups g cross join (values
      ('coordinator', 'Coordinator', false), ('researcher', 'Researcher', false), ('carer', 'Carer', true)
    ) r(key, name, sensitive)`;
  await sql`insert into role_assignments (group_id, member_id, role_key, assigned_at, removed_at)
    select group_id, member_id, 'member', case when i < 3 then ${at(2)} else ${old} end, null::timestamptz from bench_people
    union all select group_id, member_id, 'coordinator', ${old}, null from bench_people where i = 3
    union all select group_id, member_id, 'researcher', ${at(3)}, null from bench_people where i = 4
    union all select group_id, member_id, 'researcher', ${old}, ${at(4)} from bench_people where i = 5
    union all select group_id, member_id, 'carer', ${at(4)}, null from bench_people where i = 6`;
  await sql`insert into onboarding_journeys (group_id, member_id, step, started_at, step_at, finished_at)
    select group_id, member_id, case when i < 2 then 'done' else 'profile' end, ${at(2)}, ${at(3)},
      case when i < 2 then ${at(3)} end
    from bench_people where i < 3`;

  // Polls: two open (single and multi choice), two closed this week (single and ranked).
  await sql`insert into polls (code, group_id, question, options, mode, channel_id, closes_at, status, closed_at, created_at)
    select 'P' || g.id || 'x' || p.k, g.id, p.question, '["Monday","Tuesday","Wednesday"]'::jsonb, p.mode,
      'C' || g.id, case when p.status = 'open' then ${at(10)} else ${at(5)} end, p.status,
      case when p.status = 'closed' then ${at(5)} end, ${at(1)}
    from groups g cross join (values
      (1, 'Which day suits you?', 'single', 'open'), (2, 'Which days could you do?', 'multi', 'open'),
      (3, 'Where should we meet?', 'single', 'closed'), (4, 'Rank the topics', 'ranked', 'closed')
    ) p(k, question, mode, status)`;
  // Two in three members vote in each poll.
  await sql`insert into poll_votes (poll_id, voter_key, member_id, choices, created_at, updated_at)
    select p.id, 'm:' || b.member_id, b.member_id,
      case when p.mode = 'ranked' then jsonb_build_array(b.i % 3, (b.i + 1) % 3) else jsonb_build_array(b.i % 3) end,
      ${at(2)}, ${at(2)}
    from polls p join bench_people b on b.group_id = p.group_id where b.i % 3 <> 2`;

  // Meetings: one held this week, two in the fortnight after it.
  await sql`insert into meetings (code, group_id, title, starts_at, length_minutes, location, created_at)
    select 'M' || g.id || 'x' || k, g.id, t.title, ${start}::timestamptz + t.offset_days * interval '1 day',
      90, 'Room 2', ${old}
    from groups g cross join (values (1, 'Monthly meeting', 3), (2, 'Leaflet review', 9), (3, 'Planning day', 16))
      t(k, title, offset_days)`;
  await sql`insert into agenda_items (meeting_id, position, title, raised_by, status, created_at)
    select m.id, k, 'Item ' || k || ' for ' || m.title, b.member_id, 'open', ${at(1)}
    from meetings m cross join generate_series(1, 4) k
    join bench_people b on b.group_id = m.group_id and b.i = k`;
  await sql`insert into meeting_rsvps (meeting_id, member_id, status, updated_at)
    select m.id, b.member_id, (array['going', 'maybe', 'not-going'])[b.i % 3 + 1], ${at(2)}
    from meetings m join bench_people b on b.group_id = m.group_id where b.i < 15`;
  await sql`insert into meeting_outcomes (meeting_id, kind, text, agenda_item_id, recorded_at)
    select a.meeting_id, case when a.position = 4 then 'action' else 'decision' end,
      'Agreed on ' || a.title, a.id, ${at(3)}
    from agenda_items a join meetings m on m.id = a.meeting_id where m.code like '%x1' and a.position >= 2`;

  // A buddy round this week: pairs of members, two in three of them answering that they met.
  await sql`insert into match_rounds (group_id, number, ran_at, group_size)
    select g.id, 1, ${at(1)}, 2 from groups g`;
  await sql`insert into match_groups (round_id, member_ids)
    select r.id, jsonb_build_array(a.member_id, b.member_id)
    from match_rounds r join bench_people a on a.group_id = r.group_id and a.i % 2 = 0
    join bench_people b on b.group_id = r.group_id and b.i = a.i + 1`;
  await sql`insert into match_follow_ups (match_group_id, member_id, answer, answered_at)
    select mg.id, (mg.member_ids->>0)::int, case when mg.id % 3 = 0 then 'not-yet' else 'met' end, ${at(5)}
    from match_groups mg`;

  // Involvement: each member records an hour and a half; two feedback items closed, one open.
  await sql`insert into involvement_records (group_id, member_id, logged_by, kind, type_key, minutes,
      description, occurred_on, status, created_at, updated_at)
    select group_id, member_id, member_id, 'time', 'meeting', 90, 'Monthly meeting',
      (${start}::timestamptz + interval '3 days')::date, 'owed', ${at(3)}, ${at(3)}
    from bench_people`;
  await sql`insert into feedback_items (group_id, source, text, status, outcome, outcome_text, created_at, closed_at)
    select g.id, 'member', f.text, f.status, f.outcome, f.outcome_text, ${old},
      case when f.status = 'closed' then ${at(4)} end
    from groups g cross join (values
      ('The leaflet is hard to read', 'closed', 'changed', 'We used a larger font'),
      ('Meet in the evening', 'closed', 'unchanged', 'the room is not free then'),
      ('More breaks please', 'open', null, null)
    ) f(text, status, outcome, outcome_text)`;
  // The last digest went out at the start of the week.
  await sql`insert into digest_schedules (group_id, weekday, local_time, last_sent_at, updated_at)
    select id, 1, '09:00', ${start}::timestamptz, ${start}::timestamptz from groups`;
  await sql`analyze`;
}
