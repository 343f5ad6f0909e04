import Hummingbird
import NIOCore

/// The OpenAPI 3.1 document of the producer's API, served at `GET /v1/openapi.yaml`.
///
/// The text is docs/openapi.yaml, embedded so that the binary (and the Docker image, which
/// ships only binaries) serves it without a resource bundle. Edit docs/openapi.yaml, then run
/// ops/embed-openapi; `IntakeRejectionTests` fails while the two differ, and while a route the
/// producer registers is missing from the document.
enum OpenAPIDocument {
    static let yaml = #"""
        openapi: 3.1.0
        info:
          title: Feedloop producer API
          version: 1.0.0
          summary: Takes customer feedback in from every channel and stores each item as a ticket.
          description: |
            Every accepted item becomes a ticket in state `received` and a `feedback.received` event,
            committed together and published after the commit. Requests are JSON in UTF-8
            (`Content-Type: application/json`, with no charset or `charset=utf-8`; anything else gets
            415). A refused request (4xx) stores nothing.

            **Authentication.** Every route under `/v1` except this document needs an API key, sent as
            `Authorization: Bearer <key>` or `X-API-Key: <key>`. Keys look like `fl_<prefix>_<secret>`
            and are created with `feedloopctl keys create --name NAME --role ROLE`. A missing, malformed,
            unknown or revoked key gets 401 with `WWW-Authenticate: Bearer realm="feedloop"`; a valid
            key whose role may not use the route gets 403. Roles:

            - `intake`: channel integrations; submit feedback and survey answers, read tickets.
            - `agent`: staff tools; read tickets.
            - `admin`: everything.

            **Idempotency.** An item with an `external_id` is identified by `(channel, external_id)`:
            sending it again returns the existing ticket with 200. For channels without their own ids,
            send an `Idempotency-Key` header: a retried request with the same key on the same channel
            returns the first request's ticket. A retried request with the same key but a different
            body also gets the first ticket.

            **Personal data.** Customer names, phone numbers and email addresses are stored for
            notifications and only ever shown masked (`138****1234`, `张*`, `z****@example.com`).
        servers:
          - url: http://127.0.0.1:8080
            description: a local producer (FEEDLOOP_HTTP_HOST and FEEDLOOP_HTTP_PORT)
        security:
          - bearerKey: []
          - headerKey: []
        tags:
          - name: feedback
          - name: surveys
          - name: tickets
          - name: operations
        paths:
          /v1/feedback:
            post:
              tags: [feedback]
              operationId: submitFeedback
              summary: Submit one feedback item.
              description: |
                Roles: `intake`, `admin`. The body is at most 64 KiB. Answers 201 with a new ticket, or
                200 with the existing one when the same `(channel, external_id)` or the same
                `Idempotency-Key` on the same channel was accepted before (also under concurrent
                retries). The `customer` object upserts the customer record by `ref`.
              parameters:
                - $ref: '#/components/parameters/IdempotencyKey'
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/FeedbackItem'
                    example:
                      channel: chat
                      external_id: wx-20931
                      text: 下单五天了还没发货
                      customer: {ref: C102938, tier: vip, name: 张三, phone: '13812341234', locale: zh-CN}
              responses:
                '201':
                  description: Stored as a new ticket.
                  headers:
                    Location:
                      $ref: '#/components/headers/Location'
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/SubmissionReceipt'
                '200':
                  description: Sent before; the existing ticket.
                  headers:
                    Location:
                      $ref: '#/components/headers/Location'
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/SubmissionReceipt'
                '400':
                  $ref: '#/components/responses/Invalid'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '413':
                  $ref: '#/components/responses/TooLarge'
                '415':
                  $ref: '#/components/responses/UnsupportedMediaType'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/feedback:batch:
            post:
              tags: [feedback]
              operationId: submitFeedbackBatch
              summary: Submit up to FEEDLOOP_INTAKE_MAX_BATCH items (default 500) at once.
              description: |
                Roles: `intake`, `admin`. The body is at most 8 MiB. All or nothing: if any item is
                invalid the answer is 400 listing every problem by index (`items[3].text`) and nothing
                is stored; otherwise every item is stored in one transaction. Each item is idempotent as
                in `POST /v1/feedback`; with an `Idempotency-Key` header, item `i` without an
                `external_id` gets the key `<key>#<i>`, so a retried batch gets the same tickets. Answers
                201 when at least one ticket was created, else 200; more items than the limit get 413.
              parameters:
                - $ref: '#/components/parameters/IdempotencyKey'
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [items]
                      properties:
                        items:
                          type: array
                          minItems: 1
                          maxItems: 500
                          items:
                            $ref: '#/components/schemas/FeedbackItem'
              responses:
                '201':
                  description: Stored; at least one item became a new ticket.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/BatchReceipt'
                '200':
                  description: Stored; every item had been sent before.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/BatchReceipt'
                '400':
                  $ref: '#/components/responses/Invalid'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '413':
                  $ref: '#/components/responses/TooLarge'
                '415':
                  $ref: '#/components/responses/UnsupportedMediaType'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/surveys/{survey}/responses:
            post:
              tags: [surveys]
              operationId: submitSurveyResponse
              summary: Store one answer to the questionnaire `survey`, with its validity flags.
              description: |
                Roles: `intake`, `admin`. The body is at most 64 KiB. Questionnaires are defined in
                configuration (FEEDLOOP_SURVEYS, docs/SURVEYS.md). Implausible answers are stored too,
                with `valid: false` and flags (`too_fast`, `straight_lining`, `contradictory`, `repeat`),
                and left out of statistics. A retry with the same `response_id` returns the stored answer
                with 200. Each stored answer commits a `survey.answered` event.
              parameters:
                - name: survey
                  in: path
                  required: true
                  description: The questionnaire's id.
                  schema: {type: string}
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/SurveyResponse'
                    example:
                      respondent: c-9
                      ticket_id: 42
                      started_at: '2026-11-23T08:15:00Z'
                      scores: {attitude: 4, speed: 5, solution: 4}
                      overall: 4
                      nps: 9
                      comment: 处理得很快
                      response_id: r-1
              responses:
                '201':
                  description: Stored (valid or flagged).
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/SurveyReceipt'
                '200':
                  description: The `response_id` was stored before; the stored answer.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/SurveyReceipt'
                '400':
                  $ref: '#/components/responses/Invalid'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  description: No such survey.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Error'
                '413':
                  $ref: '#/components/responses/TooLarge'
                '415':
                  $ref: '#/components/responses/UnsupportedMediaType'
                '422':
                  description: The answer follows up a ticket that does not exist (`fields` names `ticket_id`).
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Error'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/tickets/{id}:
            get:
              tags: [tickets]
              operationId: getTicket
              summary: A ticket's state, classification and (masked) customer.
              description: Roles — any (`intake`, `agent`, `admin`). The feedback text is not shown.
              parameters:
                - name: id
                  in: path
                  required: true
                  schema: {type: integer, format: int64, minimum: 1}
              responses:
                '200':
                  description: The ticket.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Ticket'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '404':
                  description: No such ticket.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Error'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/tickets/{id}/respond:
            post:
              tags: [ticket actions]
              operationId: respondToTicket
              summary: Record a reply the customer sees.
              description: >-
                Roles — `agent`, `admin`. Meets the first-response clock the first time; the ticket becomes `acknowledged` (a reply to an `acknowledged` or `in_progress` ticket keeps its state). `note` (the reply) is required. Publishes `ticket.responded`. The action is recorded with the key's name as actor.
              parameters:
                - $ref: '#/components/parameters/TicketId'
              requestBody:
                $ref: '#/components/requestBodies/TicketAction'
              responses:
                '200':
                  $ref: '#/components/responses/TicketActionApplied'
                '400':
                  $ref: '#/components/responses/Invalid'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NoSuchTicket'
                '409':
                  $ref: '#/components/responses/TicketActionRefused'
                '413':
                  $ref: '#/components/responses/TooLarge'
                '415':
                  $ref: '#/components/responses/UnsupportedMediaType'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/tickets/{id}/plan:
            post:
              tags: [ticket actions]
              operationId: recordTicketPlan
              summary: Record a rectification plan.
              description: >-
                Roles — `agent`, `admin`. Meets the plan clock (level 1); the ticket becomes `in_progress`. `note` (the plan) is required. Publishes `ticket.plan_recorded`. The action is recorded with the key's name as actor.
              parameters:
                - $ref: '#/components/parameters/TicketId'
              requestBody:
                $ref: '#/components/requestBodies/TicketAction'
              responses:
                '200':
                  $ref: '#/components/responses/TicketActionApplied'
                '400':
                  $ref: '#/components/responses/Invalid'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NoSuchTicket'
                '409':
                  $ref: '#/components/responses/TicketActionRefused'
                '413':
                  $ref: '#/components/responses/TooLarge'
                '415':
                  $ref: '#/components/responses/UnsupportedMediaType'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/tickets/{id}/wait-customer:
            post:
              tags: [ticket actions]
              operationId: waitForCustomer
              summary: Wait for the customer.
              description: >-
                Roles — `agent`, `admin`. The ticket becomes `waiting_customer` and its SLA clocks pause; the paused time is added back on the calendar. Publishes `ticket.waiting_customer`. The action is recorded with the key's name as actor.
              parameters:
                - $ref: '#/components/parameters/TicketId'
              requestBody:
                $ref: '#/components/requestBodies/TicketAction'
              responses:
                '200':
                  $ref: '#/components/responses/TicketActionApplied'
                '400':
                  $ref: '#/components/responses/Invalid'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NoSuchTicket'
                '409':
                  $ref: '#/components/responses/TicketActionRefused'
                '413':
                  $ref: '#/components/responses/TooLarge'
                '415':
                  $ref: '#/components/responses/UnsupportedMediaType'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/tickets/{id}/customer-reply:
            post:
              tags: [ticket actions]
              operationId: recordCustomerReply
              summary: The customer answered.
              description: >-
                Roles — `agent`, `admin`. A `waiting_customer` ticket returns to `in_progress` and its clocks run again. Publishes `ticket.customer_replied`. The action is recorded with the key's name as actor.
              parameters:
                - $ref: '#/components/parameters/TicketId'
              requestBody:
                $ref: '#/components/requestBodies/TicketAction'
              responses:
                '200':
                  $ref: '#/components/responses/TicketActionApplied'
                '400':
                  $ref: '#/components/responses/Invalid'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NoSuchTicket'
                '409':
                  $ref: '#/components/responses/TicketActionRefused'
                '413':
                  $ref: '#/components/responses/TooLarge'
                '415':
                  $ref: '#/components/responses/UnsupportedMediaType'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/tickets/{id}/resolve:
            post:
              tags: [ticket actions]
              operationId: resolveTicket
              summary: Resolve the ticket.
              description: >-
                Roles — `agent`, `admin`. Meets the resolution clock; the ticket becomes `resolved` and the customer is invited to rate the solution. An `open` ticket must be acknowledged first (409). Publishes `ticket.resolved`. The action is recorded with the key's name as actor.
              parameters:
                - $ref: '#/components/parameters/TicketId'
              requestBody:
                $ref: '#/components/requestBodies/TicketAction'
              responses:
                '200':
                  $ref: '#/components/responses/TicketActionApplied'
                '400':
                  $ref: '#/components/responses/Invalid'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NoSuchTicket'
                '409':
                  $ref: '#/components/responses/TicketActionRefused'
                '413':
                  $ref: '#/components/responses/TooLarge'
                '415':
                  $ref: '#/components/responses/UnsupportedMediaType'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/tickets/{id}/reopen:
            post:
              tags: [ticket actions]
              operationId: reopenTicket
              summary: Reopen a resolved ticket.
              description: >-
                Roles — `agent`, `admin`. The resolution clock starts again (a new cycle); first response never restarts. Publishes `ticket.reopened`. The action is recorded with the key's name as actor.
              parameters:
                - $ref: '#/components/parameters/TicketId'
              requestBody:
                $ref: '#/components/requestBodies/TicketAction'
              responses:
                '200':
                  $ref: '#/components/responses/TicketActionApplied'
                '400':
                  $ref: '#/components/responses/Invalid'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NoSuchTicket'
                '409':
                  $ref: '#/components/responses/TicketActionRefused'
                '413':
                  $ref: '#/components/responses/TooLarge'
                '415':
                  $ref: '#/components/responses/UnsupportedMediaType'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/tickets/{id}/close:
            post:
              tags: [ticket actions]
              operationId: closeTicket
              summary: Close a resolved ticket for good.
              description: >-
                Roles — `agent`, `admin`. Publishes `ticket.closed`. The action is recorded with the key's name as actor.
              parameters:
                - $ref: '#/components/parameters/TicketId'
              requestBody:
                $ref: '#/components/requestBodies/TicketAction'
              responses:
                '200':
                  $ref: '#/components/responses/TicketActionApplied'
                '400':
                  $ref: '#/components/responses/Invalid'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NoSuchTicket'
                '409':
                  $ref: '#/components/responses/TicketActionRefused'
                '413':
                  $ref: '#/components/responses/TooLarge'
                '415':
                  $ref: '#/components/responses/UnsupportedMediaType'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/tickets/{id}/assign:
            post:
              tags: [ticket actions]
              operationId: assignTicket
              summary: Assign the ticket to a person.
              description: >-
                Roles — `agent`, `admin`. `assignee` is required; the state does not change. Publishes `ticket.assigned`. The action is recorded with the key's name as actor.
              parameters:
                - $ref: '#/components/parameters/TicketId'
              requestBody:
                $ref: '#/components/requestBodies/TicketAction'
              responses:
                '200':
                  $ref: '#/components/responses/TicketActionApplied'
                '400':
                  $ref: '#/components/responses/Invalid'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NoSuchTicket'
                '409':
                  $ref: '#/components/responses/TicketActionRefused'
                '413':
                  $ref: '#/components/responses/TooLarge'
                '415':
                  $ref: '#/components/responses/UnsupportedMediaType'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/survey-links/{token}:
            get:
              tags: [surveys]
              operationId: getSurveyLink
              summary: The questionnaire a satisfaction (回访) link opens.
              description: |
                No API key: the signed token is the credential. The notifier sends one link per resolved
                ticket to its customer (HMAC-SHA256 with FEEDLOOP_SURVEY_LINK_SECRET, expiring after
                FEEDLOOP_SURVEY_LINK_TTL, usable once). See docs/NOTIFICATIONS.md, "Satisfaction loop".
              security: []
              parameters:
                - $ref: '#/components/parameters/SurveyLinkToken'
              responses:
                '200':
                  description: The questionnaire to show, in both languages.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/LinkedSurvey'
                '403':
                  $ref: '#/components/responses/SurveyLinkForged'
                '409':
                  $ref: '#/components/responses/SurveyLinkUsed'
                '410':
                  $ref: '#/components/responses/SurveyLinkExpired'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/survey-links/{token}/responses:
            post:
              tags: [surveys]
              operationId: submitSurveyLinkResponse
              summary: Answer the questionnaire of a satisfaction link, once.
              description: |
                No API key: the signed token is the credential and sets `respondent` (the ticket's
                customer) and `ticket_id`, which the body must leave out. The answer is stored as by
                POST /v1/surveys/{survey}/responses (validity flags, a `survey.answered` event) and the
                link is marked used in the same transaction. A valid answer with overall at or below
                FEEDLOOP_UNHAPPY_SCORE (default 2) makes the notifier reopen the ticket and tell the
                department head. Nothing is stored for any refusal.
              security: []
              parameters:
                - $ref: '#/components/parameters/SurveyLinkToken'
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/SurveyLinkResponse'
                    example:
                      started_at: '2026-11-23T08:15:00Z'
                      scores: {response_speed: 2, attitude: 3, professionalism: 2, solution_quality: 1}
                      overall: 1
                      nps: 2
              responses:
                '201':
                  description: Stored (valid or flagged); the link is used.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/SurveyReceipt'
                '400':
                  $ref: '#/components/responses/Invalid'
                '403':
                  $ref: '#/components/responses/SurveyLinkForged'
                '409':
                  $ref: '#/components/responses/SurveyLinkUsed'
                '410':
                  $ref: '#/components/responses/SurveyLinkExpired'
                '413':
                  $ref: '#/components/responses/TooLarge'
                '415':
                  $ref: '#/components/responses/UnsupportedMediaType'
                '503':
                  $ref: '#/components/responses/Unavailable'
          /v1/openapi.yaml:
            get:
              tags: [operations]
              operationId: getOpenAPIDocument
              summary: This document.
              security: []
              responses:
                '200':
                  description: The OpenAPI 3.1 document, as kept in the repository (docs/openapi.yaml).
                  content:
                    application/yaml:
                      schema: {type: string}
          /health:
            get:
              tags: [operations]
              operationId: health
              summary: 200 when the database answers, else 503.
              security: []
              responses:
                '200':
                  description: Healthy.
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          status: {type: string, const: ok}
                '503':
                  description: The database does not answer.
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          status: {type: string, const: unavailable}
                          error: {type: string}
          /health/live:
            get:
              tags: [operations]
              operationId: healthLive
              summary: 200 while the process runs (liveness probe).
              description: The same on every Feedloop worker (docs/OBSERVABILITY.md).
              security: []
              responses:
                '200':
                  description: The process runs and answers.
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          status: {type: string, const: live}
          /health/ready:
            get:
              tags: [operations]
              operationId: healthReady
              summary: 200 when database and broker answer and the queues are declared, else 503 (readiness probe).
              description: |
                Every check with `ok` and, when failing, the reason. The producer checks its request
                pool's database connection when probed; broker and topology come from startup and the
                outbox relay's last publish. From SIGTERM on, a `shutdown` check fails.
              security: []
              responses:
                '200':
                  description: Ready.
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Readiness'}
                '503':
                  description: Not ready; the failing checks say why.
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Readiness'}
          /metrics:
            get:
              tags: [operations]
              operationId: metrics
              summary: Prometheus metrics in the text exposition format.
              description: Metric names and labels are listed in docs/OBSERVABILITY.md.
              security: []
              responses:
                '200':
                  description: The metrics.
                  content:
                    text/plain:
                      schema: {type: string}
        components:
          securitySchemes:
            bearerKey:
              type: http
              scheme: bearer
              bearerFormat: fl_<prefix>_<secret>
              description: 'An API key: Authorization: Bearer fl_<prefix>_<secret>.'
            headerKey:
              type: apiKey
              in: header
              name: X-API-Key
              description: The same API key, for clients that cannot set Authorization.
          parameters:
            IdempotencyKey:
              name: Idempotency-Key
              in: header
              required: false
              description: |
                For items without an external_id: a retried request with the same key on the same
                channel returns the first request's ticket. 1 to 128 printable ASCII characters, no
                spaces; anything else gets 400 naming the field `Idempotency-Key`.
              schema: {type: string, minLength: 1, maxLength: 128, pattern: '^[!-~]+$'}
            SurveyLinkToken:
              name: token
              in: path
              required: true
              description: The signed token of the link (base64url payload, a dot, base64url HMAC-SHA256).
              schema: {type: string}
            TicketId:
              name: id
              in: path
              required: true
              schema: {type: integer, format: int64, minimum: 1}
          requestBodies:
            TicketAction:
              required: false
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/TicketActionBody'
          headers:
            Location:
              description: The ticket's URL, /v1/tickets/{id}.
              schema: {type: string}
          responses:
            Invalid:
              description: Invalid input; `fields` names each problem. Nothing was stored.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
                  example:
                    error: invalid feedback
                    fields:
                      - {field: text, reason: must not be empty}
                      - {field: customer.phone, reason: 'must be 5 to 20 digits with an optional leading +, such as +8613812341234'}
            Unauthorized:
              description: Missing, malformed, unknown or revoked API key.
              headers:
                WWW-Authenticate:
                  schema: {type: string, const: Bearer realm="feedloop"}
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
                  example: {error: unknown API key}
            Forbidden:
              description: The key's role may not use this route.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
                  example: {error: "this key's role agent may not use this route; it needs intake or admin"}
            TooLarge:
              description: The body (or a batch's item count) is over the limit. Nothing was stored.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
            UnsupportedMediaType:
              description: Content-Type is not application/json in UTF-8. Nothing was stored.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
            Unavailable:
              description: The database could not be reached; retry later (nothing was stored).
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
            SurveyLinkForged:
              description: The token's signature does not match (or the link was never issued).
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
            SurveyLinkUsed:
              description: The link was already used to answer.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
            SurveyLinkExpired:
              description: The link expired (or its questionnaire is no longer offered, or its ticket is gone).
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
            NoSuchTicket:
              description: No such ticket.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
            TicketActionApplied:
              description: The action was applied and its event committed.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/TicketActionReceipt'
            TicketActionRefused:
              description: The ticket's lifecycle forbids the action in its current state. Nothing was changed.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/TicketActionRefusal'
                  example:
                    error: 'cannot move ticket from open to resolved: acknowledge the customer or start work before resolving'
                    code: not_allowed
                    state: open
          schemas:
            Readiness:
              type: object
              required: [status, checks]
              properties:
                status: {type: string, enum: [ready, not_ready]}
                checks:
                  type: object
                  description: database, broker, topology (and shutdown while stopping).
                  additionalProperties:
                    type: object
                    required: [ok]
                    properties:
                      ok: {type: boolean}
                      reason: {type: string, description: Why the check fails; absent when ok.}
            TicketState:
              type: string
              enum: [received, open, acknowledged, in_progress, waiting_customer, resolved, closed, reopened, duplicate, rejected]
            TicketActionBody:
              type: object
              additionalProperties: false
              properties:
                note: {type: string, maxLength: 10000, description: The reply or plan the customer is shown (required for respond and plan), or a reason.}
                assignee: {type: string, maxLength: 200, description: 'The person assigned (required for assign; optional otherwise).'}
            TicketActionReceipt:
              type: object
              required: [ticket_id, action, action_id, from_state, state, event]
              properties:
                ticket_id: {type: integer, format: int64}
                action: {type: string, enum: [assign, respond, plan, wait_customer, customer_reply, resolve, reopen, close]}
                action_id: {type: integer, format: int64, description: The recorded action; also the event's message id suffix.}
                from_state: {$ref: '#/components/schemas/TicketState'}
                state: {$ref: '#/components/schemas/TicketState'}
                assignee: {type: string}
                event: {type: string, examples: [ticket.responded]}
            TicketActionRefusal:
              type: object
              required: [error, code, state]
              properties:
                error: {type: string}
                code: {type: string, enum: [terminal_state, same_state, not_allowed]}
                state: {$ref: '#/components/schemas/TicketState'}
            Channel:
              type: string
              enum: [hotline, chat, store, email, social, survey, return_visit, research]
              description: Case-insensitive on input.
            Tier:
              type: string
              enum: [vip, regular, new]
              description: Case-insensitive on input.
            FeedbackItem:
              type: object
              additionalProperties: false
              required: [channel, text]
              description: Unknown fields are refused; empty optional strings count as absent.
              properties:
                channel:
                  $ref: '#/components/schemas/Channel'
                external_id:
                  type: string
                  maxLength: 200
                  description: The channel's own id; (channel, external_id) identifies the item.
                text:
                  type: string
                  minLength: 1
                  maxLength: 10000
                  description: The feedback, trimmed; at most 10,000 characters, no NUL.
                customer:
                  $ref: '#/components/schemas/Customer'
                received_at:
                  type: string
                  format: date-time
                  description: When the channel received it (ISO 8601); the producer's clock when absent.
            Customer:
              type: object
              additionalProperties: false
              description: |
                Upserts the customer record keyed by `ref` (values left out keep what the record holds).
                `ref` is required when name, phone, email or locale is given. When `tier` is left out
                the ticket takes the record's tier.
              properties:
                ref: {type: string, maxLength: 200, description: 'The CRM reference; never a name or phone number.'}
                tier:
                  $ref: '#/components/schemas/Tier'
                name: {type: string, maxLength: 100, description: 'For greetings; shown masked (张*, J*** S****).'}
                phone: {type: string, pattern: '^\+?[0-9]{5,20}$', description: 'Digits with an optional leading +; shown masked (138****1234).'}
                email: {type: string, format: email, maxLength: 254, description: 'Shown masked (z****@example.com).'}
                locale: {type: string, description: 'A language tag such as zh-CN, zh-Hans-CN or en (normalized to that case; _ accepted).'}
            MaskedCustomer:
              type: object
              description: The customer record with name, phone and email masked.
              properties:
                ref: {type: string}
                tier:
                  $ref: '#/components/schemas/Tier'
                name: {type: string, examples: ['张*']}
                phone: {type: string, examples: ['138****1234']}
                email: {type: string, examples: ['z****@example.com']}
                locale: {type: string}
            SubmissionReceipt:
              type: object
              required: [ticket_id, state]
              properties:
                ticket_id: {type: integer, format: int64}
                state: {type: string, description: The ticket's current state (received for a new one).}
            BatchReceipt:
              type: object
              required: [created, duplicates, items]
              properties:
                created: {type: integer}
                duplicates: {type: integer}
                items:
                  type: array
                  description: One entry per item, in the order sent.
                  items:
                    type: object
                    required: [index, ticket_id, state, status]
                    properties:
                      index: {type: integer}
                      ticket_id: {type: integer, format: int64}
                      state: {type: string}
                      status: {type: string, enum: [created, duplicate]}
            Ticket:
              type: object
              required: [id, channel, state, keywords, received_at, created_at, state_changed_at]
              properties:
                id: {type: integer, format: int64}
                channel:
                  $ref: '#/components/schemas/Channel'
                external_id: {type: string}
                customer_tier:
                  $ref: '#/components/schemas/Tier'
                customer:
                  $ref: '#/components/schemas/MaskedCustomer'
                state: {type: string}
                category: {type: string}
                subcategory: {type: string}
                sentiment: {type: string, enum: [negative, neutral, positive]}
                level: {type: integer, minimum: 1, maximum: 3, description: 1 urgent, 2 important, 3 general.}
                level_rule: {type: string}
                department: {type: string}
                keywords:
                  type: array
                  items: {type: string}
                received_at: {type: string, format: date-time}
                created_at: {type: string, format: date-time}
                classified_at: {type: string, format: date-time}
                state_changed_at: {type: string, format: date-time}
            SurveyResponse:
              type: object
              additionalProperties: false
              required: [respondent, started_at, scores, overall]
              properties:
                respondent: {type: string, minLength: 1, maxLength: 200, description: 'A customer reference.'}
                ticket_id:
                  type: integer
                  format: int64
                  description: The ticket the survey follows up; required, optional or refused as the questionnaire says.
                started_at: {type: string, format: date-time, description: When the questionnaire was opened.}
                submitted_at: {type: string, format: date-time, description: "The server's clock when absent."}
                scores:
                  type: object
                  description: Every dimension of the questionnaire, each an integer 1–5.
                  additionalProperties: {type: integer, minimum: 1, maximum: 5}
                overall: {type: integer, minimum: 1, maximum: 5}
                nps: {type: integer, minimum: 0, maximum: 10, description: If the questionnaire asks it.}
                comment: {type: string, maxLength: 5000}
                response_id: {type: string, description: "The client's id; a retry with it returns the first answer."}
            SurveyLinkResponse:
              type: object
              additionalProperties: false
              required: [started_at, scores, overall]
              properties:
                started_at: {type: string, format: date-time, description: When the questionnaire was opened.}
                submitted_at: {type: string, format: date-time, description: "The server's clock when absent."}
                scores:
                  type: object
                  description: Every dimension of the questionnaire, each an integer 1–5.
                  additionalProperties: {type: integer, minimum: 1, maximum: 5}
                overall: {type: integer, minimum: 1, maximum: 5}
                nps: {type: integer, minimum: 0, maximum: 10, description: If the questionnaire asks it.}
                comment: {type: string, maxLength: 5000}
                response_id: {type: string, description: "Defaults to the link's own id, so a retry cannot store a second answer."}
            LinkedSurvey:
              type: object
              required: [survey_id, ticket_id, title, dimensions, overall, expires_at]
              properties:
                survey_id: {type: string}
                ticket_id: {type: integer, format: int64}
                title: {$ref: '#/components/schemas/LocalizedText'}
                dimensions:
                  type: array
                  items:
                    type: object
                    required: [id, label]
                    properties:
                      id: {type: string, description: The key under `scores` in the answer.}
                      label: {$ref: '#/components/schemas/LocalizedText'}
                overall: {$ref: '#/components/schemas/LocalizedText'}
                nps: {$ref: '#/components/schemas/LocalizedText'}
                comment: {$ref: '#/components/schemas/LocalizedText'}
                expires_at: {type: string, format: date-time}
            LocalizedText:
              type: object
              required: [zh, en]
              properties:
                zh: {type: string}
                en: {type: string}
            SurveyReceipt:
              type: object
              required: [response_id, valid, flags]
              properties:
                response_id: {type: string}
                valid: {type: boolean, description: False when any flag was raised; such answers are left out of statistics.}
                flags:
                  type: array
                  items:
                    type: object
                    required: [flag, reason]
                    properties:
                      flag: {type: string, enum: [too_fast, straight_lining, contradictory, repeat]}
                      reason: {type: string, examples: ['answered in 12.0 s, less than the minimum of 30 s']}
            FieldError:
              type: object
              required: [field, reason]
              properties:
                field: {type: string, description: 'The field as sent: text, customer.phone, items[3].text, Idempotency-Key.'}
                reason: {type: string, description: 'Completes "<field>: …".'}
            Error:
              type: object
              required: [error]
              properties:
                error: {type: string, description: A summary of why the request was refused.}
                fields:
                  type: array
                  items:
                    $ref: '#/components/schemas/FieldError'

        """#

    static func response() -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: Self.yaml))
        )
    }
}
