/**
 * What a feature declares about the personal data in its own tables (`personalData` in
 * defineFeature). The privacy feature composes every declaration into `/copro my-data` and
 * `/copro forget-me`, the way the digest composes sections, and knows no feature's tables itself.
 *
 * The columns a declaration names are checked against the Drizzle schema by a test: every column
 * that can point at a person (a reference to members, a name like member_id or user_id, any jsonb)
 * must be named by exactly one feature, so a new table is caught the day it is added.
 */
import type { Db, MemberRow, Tx } from '../../db/client.js';
import type { SealKey } from './sealed.js';

/** "table.column", in SQL names: "poll_votes.member_id". */
export type ColumnName = `${string}.${string}`;

export interface ExportScope {
  readonly db: Db | Tx;
  /** The person asking: one platform account. */
  readonly member: MemberRow;
  /** Opens sealed (special-category) columns; without it they are listed as "stored encrypted". */
  readonly encryptionKey?: SealKey;
}

/** One part of the export: rows of one table, in words a member can read. */
export interface ExportSection {
  /** The SQL table the rows come from. */
  readonly table: string;
  /** A heading for people: "Your votes". */
  readonly title: string;
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** A plain sentence shown under the heading, e.g. why some data cannot be found. */
  readonly note?: string;
  /**
   * The note says what is not here (votes in anonymous polls), so the chat answer shows it even
   * when the section is empty. Other notes are shown only with the rows they explain.
   */
  readonly noteEvenIfEmpty?: boolean;
}

export interface ErasureScope {
  /** Everything happens in this one transaction: all of it, or none. */
  readonly tx: Tx;
  readonly member: MemberRow;
  /**
   * The "former member" record of the person's workspace: one record shared by everyone erased
   * there, so that totals keep their rows (a follow-up answer, hours given) without saying whose
   * they were, or whether two of them were one person's.
   */
  readonly formerMemberId: number;
  readonly now: Date;
  /** The key behind anonymous votes: with it, the person's own anonymous ballots can be found. */
  readonly voterSecret?: Buffer;
}

/**
 * A column that holds only sealed values (src/privacy/sealed.ts): what `npm run rotate-key` reseals.
 * A test checks that every column named *_sealed is declared by exactly one feature.
 */
export interface SealedColumn {
  readonly column: ColumnName;
  /**
   * Answers about a person's health (access needs, lived experience). copro does not start while
   * it holds some that none of its keys opens: nobody would be shown them, and nobody would know.
   */
  readonly aboutHealth?: true;
  /** The context a row's value is sealed for, from the row (keyed by SQL column names). */
  context(row: Readonly<Record<string, unknown>>): string;
}

export interface PersonalData {
  /** Columns of the feature's tables that name or point at a person. */
  readonly refersToPerson: readonly ColumnName[];
  /**
   * Columns the schema check would ask about (jsonb, or a person-like name) that hold nothing
   * pointing at a person: poll options, checklist texts.
   */
  readonly holdsNoPerson?: readonly ColumnName[];
  /**
   * Columns that point at the person but are someone else's private choice about them ("please
   * don't pair me with ..."): left out of the export, with the reason, and still erased.
   */
  readonly notExported?: Readonly<Partial<Record<ColumnName, string>>>;
  /** Columns of the feature's tables that hold only sealed values. */
  readonly sealed?: readonly SealedColumn[];
  /** What the feature holds about the member, in every group. */
  export(scope: ExportScope): Promise<readonly ExportSection[]>;
  /** Remove the member from the feature's tables, keeping totals (see formerMemberId). */
  erase(scope: ErasureScope): Promise<void>;
  /** For the forget-me confirmation, in plain words. */
  readonly forgetting: {
    /** "your answers to the welcome questions, including access needs" */
    readonly goes: string;
    /** "votes in polls are still counted, without your name" */
    readonly stays?: string;
  };
}

/** A feature's declaration, named for messages and checks. */
export interface NamedPersonalData extends PersonalData {
  readonly feature: string;
}
