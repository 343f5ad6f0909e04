import FeedloopCore

extension SLAConfiguration {
    /// The built-in configuration, used when no file is given and `config/sla.yaml` is absent.
    /// The same text as the shipped `config/sla.yaml`; a test keeps the two equal.
    static let defaultYAML = """
        # Feedloop SLA policies, business calendars and escalation ladders.
        # Format: docs/SLA.md. Check a change with `feedloop-escalator check FILE`; a running
        # escalator re-evaluates the due times of open clocks when it starts with a changed file.

        # Share of a target used at which the one warning (ticket.sla_warning) is sent.
        warning_share: 0.8

        calendars:
          # Every instant counts.
          24x7:
            always_open: true
          # Office hours in China with a lunch break; public holidays and make-up working days (调休)
          # of the 2026 schedule. Replace them with the dates your company publishes each year.
          office:
            time_zone: Asia/Shanghai
            week:
              monday: ["09:00-12:00", "13:30-18:00"]
              tuesday: ["09:00-12:00", "13:30-18:00"]
              wednesday: ["09:00-12:00", "13:30-18:00"]
              thursday: ["09:00-12:00", "13:30-18:00"]
              friday: ["09:00-12:00", "13:30-18:00"]
            holidays: [2026-01-01, 2026-01-02, 2026-02-16, 2026-02-17, 2026-02-18, 2026-02-19, 2026-02-20, 2026-04-06,
              2026-05-01, 2026-05-04, 2026-05-05, 2026-06-19, 2026-09-25, 2026-10-01, 2026-10-02, 2026-10-05, 2026-10-06, 2026-10-07]
            make_up_days: [2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10]

        # One policy per level (without tier); a tier's lane names only what differs from its level.
        policies:
          - level: 1
            calendar: 24x7
            first_response: 2h
            plan: 24h
            resolution: 48h
          - level: 2
            calendar: office
            first_response: 4h
            resolution: 3 working days
          - level: 3
            calendar: 24x7
            first_response: 8h
            resolution: 30d
          - level: 1
            tier: vip
            first_response: 15m
          - level: 2
            tier: vip
            first_response: 15m
          - level: 3
            tier: vip
            first_response: 15m

        # Who is told as an overdue clock climbs. after_due is working time on the policy's
        # calendar after the due time: 0, a duration (1h), or a share of the clock's target (50%).
        ladders:
          default:
            - notify: assignee
              after_due: 0
            - notify: department_head
              after_due: 50%
            - notify: director
              after_due: 100%
        """
}
