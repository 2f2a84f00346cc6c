//! The journal is sealed a moment after it is written, on PostgreSQL.
//!
//! Until now each entry took its place in the chain inside the transaction that wrote
//! it, so every transaction of an administration that journals anything waited for the
//! one before it to commit: one disk flush at a time, whatever the number of registers.
//! Now a transaction only inserts its entry (with its change, as before), and
//! `ordo_seal_journal` gives the entries waiting their sequence and hash, many per
//! flush. The application calls it right after its commits and once a second.
//!
//! The application role loses what it no longer needs: it may insert an entry's
//! content only (not its sequence or hashes) and only read the head. Sealing is done
//! by the functions below, which run with their owner's rights (`SECURITY DEFINER`):
//! the only way to place an entry in the chain is to have it hashed by the database.
//! SQLite (one writer at a time) keeps chaining each entry as it is written.

use sea_orm_migration::prelude::*;

use crate::tenancy::{APP_ROLE, TENANT_SETTING, is_postgres};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if !is_postgres(manager) {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_pkey;
                 ALTER TABLE audit_entries ALTER COLUMN sequence DROP NOT NULL,
                                           ALTER COLUMN previous_hash DROP NOT NULL,
                                           ALTER COLUMN hash DROP NOT NULL;
                 ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_sealed_whole
                   CHECK ((sequence IS NULL) = (hash IS NULL) AND (sequence IS NULL) = (previous_hash IS NULL));
                 CREATE UNIQUE INDEX audit_entries_sequence ON audit_entries (tenant_id, sequence);
                 CREATE INDEX audit_entries_unsealed ON audit_entries (tenant_id, at) WHERE sequence IS NULL;

                 REVOKE INSERT ON audit_entries FROM {APP_ROLE};
                 GRANT INSERT (tenant_id, at, actor, action, object, details, origin) ON audit_entries TO {APP_ROLE};
                 REVOKE INSERT, UPDATE ON audit_heads FROM {APP_ROLE};

                 -- The canonical form's unit (`ordo_domain::journal::length_prefixed`):
                 -- the length in bytes, 8 bytes big-endian, then the UTF-8 bytes.
                 CREATE FUNCTION ordo_length_prefixed(field text) RETURNS bytea
                   LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                   AS $$ SELECT int8send(octet_length(field)::bigint) || convert_to(field, 'UTF8') $$;

                 -- Seals up to `at_most` of the administration's waiting entries, oldest
                 -- first, and returns how many. When another session is sealing the same
                 -- journal, waits for it if `wait_for_others` (a check that must see every
                 -- entry sealed), else returns 0 at once (that session takes them too).
                 CREATE FUNCTION ordo_seal_journal(for_tenant uuid, at_most integer, wait_for_others boolean)
                 RETURNS integer
                 LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
                 DECLARE
                   outer_setting text := current_setting('{TENANT_SETTING}', true);
                   head_sequence bigint;
                   head_hash text;
                   before_hash text;
                   entry record;
                   sealed integer := 0;
                 BEGIN
                   PERFORM set_config('{TENANT_SETTING}', for_tenant::text, true);
                   IF EXISTS (SELECT 1 FROM audit_entries WHERE tenant_id = for_tenant AND sequence IS NULL) THEN
                     INSERT INTO audit_heads (tenant_id, last_sequence, last_hash)
                       VALUES (for_tenant, 0, '{genesis}') ON CONFLICT (tenant_id) DO NOTHING;
                     IF wait_for_others THEN
                       SELECT last_sequence, last_hash INTO head_sequence, head_hash
                         FROM audit_heads WHERE tenant_id = for_tenant FOR UPDATE;
                     ELSE
                       SELECT last_sequence, last_hash INTO head_sequence, head_hash
                         FROM audit_heads WHERE tenant_id = for_tenant FOR UPDATE SKIP LOCKED;
                     END IF;
                     IF FOUND THEN
                       FOR entry IN
                         SELECT ctid AS row_id, at, actor, action, object, details, origin
                           FROM audit_entries WHERE tenant_id = for_tenant AND sequence IS NULL
                          ORDER BY at LIMIT at_most
                       LOOP
                         before_hash := head_hash;
                         head_sequence := head_sequence + 1;
                         head_hash := encode(sha256(
                              ordo_length_prefixed(before_hash)
                           || ordo_length_prefixed(for_tenant::text)
                           || ordo_length_prefixed(head_sequence::text)
                           || ordo_length_prefixed(to_char(entry.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'))
                           || ordo_length_prefixed(entry.actor)
                           || ordo_length_prefixed(entry.action)
                           || ordo_length_prefixed(entry.object)
                           || ordo_length_prefixed(entry.details)
                           || ordo_length_prefixed(entry.origin)), 'hex');
                         UPDATE audit_entries
                            SET sequence = head_sequence, previous_hash = before_hash, hash = head_hash
                          WHERE ctid = entry.row_id AND sequence IS NULL;
                         sealed := sealed + 1;
                       END LOOP;
                       IF sealed > 0 THEN
                         UPDATE audit_heads
                            SET last_sequence = head_sequence, previous_hash = before_hash, last_hash = head_hash
                          WHERE tenant_id = for_tenant;
                       END IF;
                     END IF;
                   END IF;
                   PERFORM set_config('{TENANT_SETTING}', coalesce(outer_setting, ''), true);
                   RETURN sealed;
                 END $$;

                 -- Every administration's journal: the safety net behind the calls
                 -- made after each commit.
                 CREATE FUNCTION ordo_seal_journals(at_most integer) RETURNS bigint
                 LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
                 DECLARE
                   administration record;
                   sealed bigint := 0;
                 BEGIN
                   FOR administration IN SELECT id FROM tenants ORDER BY id LOOP
                     sealed := sealed + ordo_seal_journal(administration.id, at_most, false);
                   END LOOP;
                   RETURN sealed;
                 END $$;

                 REVOKE ALL ON FUNCTION ordo_seal_journal(uuid, integer, boolean) FROM PUBLIC;
                 REVOKE ALL ON FUNCTION ordo_seal_journals(integer) FROM PUBLIC;
                 GRANT EXECUTE ON FUNCTION ordo_seal_journal(uuid, integer, boolean) TO {APP_ROLE};
                 GRANT EXECUTE ON FUNCTION ordo_seal_journals(integer) TO {APP_ROLE};",
                genesis = GENESIS,
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if !is_postgres(manager) {
            return Ok(());
        }
        // Entries still waiting are sealed first: the old schema has no place for them.
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "SELECT ordo_seal_journals(2147483647);
                 DROP FUNCTION ordo_seal_journals(integer);
                 DROP FUNCTION ordo_seal_journal(uuid, integer, boolean);
                 DROP FUNCTION ordo_length_prefixed(text);
                 GRANT INSERT, UPDATE ON audit_heads TO {APP_ROLE};
                 REVOKE INSERT (tenant_id, at, actor, action, object, details, origin) ON audit_entries FROM {APP_ROLE};
                 GRANT INSERT ON audit_entries TO {APP_ROLE};
                 DROP INDEX audit_entries_unsealed;
                 DROP INDEX audit_entries_sequence;
                 ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_sealed_whole;
                 ALTER TABLE audit_entries ALTER COLUMN sequence SET NOT NULL,
                                           ALTER COLUMN previous_hash SET NOT NULL,
                                           ALTER COLUMN hash SET NOT NULL;
                 ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_pkey PRIMARY KEY (tenant_id, sequence);"
            ))
            .await
            .map(drop)
    }
}

/// The hash an empty journal's first entry links to (`ordo_domain::journal::GENESIS`).
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
