import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { type CalendarGroup, type CalendarMeeting, calendarFile } from '../../src/meetings/ics.js';

const meeting: CalendarMeeting = {
  code: 'M7K2',
  title: 'Leaflet review, part 1; <!channel>',
  // 14:00 in London in summer time is 13:00 UTC.
  startsAt: new Date('2027-06-08T13:00:00Z'),
  lengthMinutes: 90,
  location: 'Room 4, Main Street',
  status: 'scheduled',
  sequence: 0,
  papers: ['https://example.org/p.pdf'],
};

const group: CalendarGroup = {
  id: 1,
  name: 'Leaflet group',
  platform: 'slack',
  workspaceId: 'T01',
  createdAt: new Date('2026-11-01T09:00:00Z'),
};

function parse(content: string) {
  const calendar = new ICAL.Component(ICAL.parse(content));
  return { calendar, events: calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)) };
}

describe('calendar files', () => {
  it('parse, with the start in UTC, the length, the place and the title as typed', () => {
    const file = calendarFile([meeting], group);
    expect(file).toMatchObject({ name: 'meeting-M7K2.ics', mimeType: 'text/calendar' });
    const [event] = parse(file.content).events;
    expect(event!.startDate.toJSDate().toISOString()).toBe('2027-06-08T13:00:00.000Z');
    expect(event!.endDate.toJSDate().toISOString()).toBe('2027-06-08T14:30:00.000Z');
    expect(event!.summary).toBe('Leaflet review, part 1; <!channel>');
    expect(event!.location).toBe('Room 4, Main Street');
    expect(event!.description).toContain('https://example.org/p.pdf');
  });

  it('keep the UID after a change, with a higher SEQUENCE, and say when a meeting is cancelled', () => {
    const before = parse(calendarFile([meeting], group).content);
    const moved = { ...meeting, startsAt: new Date('2027-06-09T09:00:00Z'), sequence: 1 };
    const after = parse(calendarFile([moved], group).content);
    expect(after.events[0]!.uid).toBe(before.events[0]!.uid);
    expect(after.events[0]!.sequence).toBe(1);
    expect(after.events[0]!.startDate.toJSDate().toISOString()).toBe('2027-06-09T09:00:00.000Z');
    const cancelled = parse(calendarFile([{ ...moved, status: 'cancelled', sequence: 2 }], group).content);
    expect(cancelled.calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(cancelled.events[0]!.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancelled.events[0]!.uid).toBe(before.events[0]!.uid);
  });

  it('hold several meetings in one file, each with its own UID', () => {
    const file = calendarFile(
      [meeting, { ...meeting, code: 'M8PQ', startsAt: new Date('2027-07-06T13:00:00Z') }],
      group,
    );
    expect(file.name).toBe('meetings.ics');
    const uids = parse(file.content).events.map((e) => e.uid);
    expect(uids).toEqual([
      expect.stringMatching(/^M7K2-\w+@copro$/),
      expect.stringMatching(/^M8PQ-\w+@copro$/),
    ]);
  });

  it('give the same meeting code a different UID in another group or another copro, and the same one again here', () => {
    const uid = (g: CalendarGroup) => parse(calendarFile([meeting], g).content).events[0]!.uid;
    const others: CalendarGroup[] = [
      { ...group, id: 2 },
      { ...group, workspaceId: 'T02' },
      { ...group, platform: 'discord' },
      // Another copro, whose first group also has the id 1.
      { ...group, createdAt: new Date('2026-11-20T10:00:00Z') },
    ];
    expect(new Set([uid(group), ...others.map(uid)]).size).toBe(5);
    expect(uid({ ...group, name: 'Renamed group' })).toBe(uid(group));
  });
});
