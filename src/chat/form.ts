/** Platform-neutral form (a Slack modal, a Discord modal, a prompt sequence in the console). */
export type FormField =
  | {
      readonly kind: 'short' | 'paragraph';
      readonly id: string;
      readonly label: string;
      readonly required?: boolean;
      readonly hint?: string;
      readonly initial?: string;
      readonly maxLength?: number;
    }
  | {
      readonly kind: 'select' | 'checkboxes';
      readonly id: string;
      readonly label: string;
      readonly required?: boolean;
      readonly hint?: string;
      readonly options: readonly { readonly label: string; readonly value: string }[];
      readonly initial?: readonly string[];
    };

export interface Form {
  /** Routes the submission back to a feature, e.g. "onboarding.profile". */
  readonly id: string;
  readonly title: string;
  readonly submitLabel: string;
  readonly fields: readonly FormField[];
  /** Opaque state carried through to the submission (for example a poll id). */
  readonly state?: string;
}

/** What a person typed or chose, by field id. Checkboxes and selects give lists. */
export type FormValues = Readonly<Record<string, string | readonly string[] | undefined>>;
