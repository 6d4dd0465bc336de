import { defineFeature } from '../features.js';
import { meetingActions } from './actions.js';
import { agendaCommands } from './agenda-commands.js';
import { meetingCommands } from './commands.js';
import { EDIT_FORM, openEditForm, saveEdit } from './edit.js';
import { meetingJobs } from './jobs.js';
import { addPapers } from './papers.js';
import { meetingsPersonalData } from './personal-data.js';
import { setPostAhead } from './settings.js';

/** Meetings, with agendas members shape, RSVPs, papers and reminders. */
export const meetingsFeature = defineFeature({
  name: 'meetings',
  commands: {
    ...meetingCommands,
    ...agendaCommands,
    'meeting.edit': openEditForm,
    'meeting.papers': addPapers,
    'meeting.post-ahead': setPostAhead,
  },
  forms: { [EDIT_FORM]: saveEdit },
  actions: meetingActions,
  jobs: meetingJobs,
  personalData: meetingsPersonalData,
});
