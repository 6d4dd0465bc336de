import { defineFeature } from '../features.js';
import { hoursGiven, youSaidWeDid } from './digest.js';
import { feedbackCommands } from './feedback.js';
import { logCommands } from './log-commands.js';
import { memberCommands } from './member-commands.js';
import { paymentCommands } from './payment-commands.js';
import { involvementPersonalData } from './personal-data.js';
import { reportCommands } from './report.js';
import { recordFromSources } from './sources.js';

/** Involvement records: time and expenses, payments, "you said, we did", and the report. */
export const involvementFeature = defineFeature({
  name: 'involvement',
  commands: { ...logCommands, ...memberCommands, ...paymentCommands, ...feedbackCommands, ...reportCommands },
  digestSections: [hoursGiven, youSaidWeDid],
  personalData: involvementPersonalData,
  sweeps: [recordFromSources],
});
