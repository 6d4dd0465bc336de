import { spokenCode } from '../codes.js';

export { normaliseCode } from '../codes.js';

/** A short poll id such as "P7K2". */
export const pollCode = (length = 3): string => spokenCode('P', length);
