import { type Db, schema, type Tx } from '../../db/client.js';

export interface AuditEntry {
  readonly groupId: number;
  readonly actorMemberId: number | null;
  readonly action: string;
  readonly targetMemberId?: number | null;
  readonly details?: Record<string, unknown>;
  readonly at: Date;
}

/** Record a coordinator action. Call it inside the transaction that makes the change. */
export async function audit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await db.insert(schema.auditLog).values({
    groupId: entry.groupId,
    actorMemberId: entry.actorMemberId,
    action: entry.action,
    targetMemberId: entry.targetMemberId ?? null,
    details: entry.details ?? {},
    createdAt: entry.at,
  });
}
