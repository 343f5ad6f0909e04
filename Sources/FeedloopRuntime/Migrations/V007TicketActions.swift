extension Migration {
    /// Staff actions: every reply, plan, pause, resolution, reopen and close, with who and
    /// why, and the ticket's assignee. Transitions still record state changes; this table also
    /// holds the actions that change none (a second reply).
    static let v007TicketActions = Migration(
        version: 7,
        name: "ticket_actions",
        sql: """
            ALTER TABLE tickets ADD COLUMN assignee text;

            CREATE TABLE ticket_actions (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                ticket_id bigint NOT NULL REFERENCES tickets (id),
                action text NOT NULL,
                from_state text NOT NULL,
                to_state text NOT NULL,
                actor text NOT NULL,
                note text,
                assignee text,
                at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX ticket_actions_ticket ON ticket_actions (ticket_id, id);
            """
    )
}
