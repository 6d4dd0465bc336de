import { defineFeature } from '../features.js';
import { meetingActions } from './actions.js';
import { agendaCommands } from './agenda-commands.js';
import { askAttendance, attendanceActions, showAttendance } from './attendance.js';
import { cancelMeeting } from './cancel.js';
import { meetingCommands } from './commands.js';
import { decisionsSection, upcomingMeetingsSection } from './digest.js';
import { EDIT_FORM, openEditForm, saveEdit } from './edit.js';
import { meetingJobs } from './jobs.js';
import { NOTES_FORM, openNotesForm, saveNotes } from './notes.js';
import { addPapers } from './papers.js';
import { meetingsPersonalData } from './personal-data.js';
import { setPostAhead } from './settings.js';

/** Meetings, with agendas members shape, RSVPs, papers and reminders. */
export const meetingsFeature = defineFeature({
  name: 'meetings',
  commands: {
    ...meetingCommands,
    ...agendaCommands,
    'meeting.cancel': cancelMeeting,
    'meeting.edit': openEditForm,
    'meeting.papers': addPapers,
    'meeting.post-ahead': setPostAhead,
    'meeting.notes': openNotesForm,
    'meeting.attendance': showAttendance,
  },
  forms: { [EDIT_FORM]: saveEdit, [NOTES_FORM]: saveNotes },
  actions: { ...meetingActions, ...attendanceActions },
  jobs: { ...meetingJobs, 'meeting.attendance-ask': askAttendance },
  personalData: meetingsPersonalData,
  digestSections: [upcomingMeetingsSection, decisionsSection],
});
