import Foundation
import Testing

@testable import FeedloopCore

@Suite struct FeedbackSubmissionTests {
    static func parse(_ json: String) throws -> FeedbackSubmission {
        try FeedbackSubmission.parse(json: Array(json.utf8))
    }

    /// The errors `json` is refused with, as "field: reason" lines.
    static func errors(_ json: String) -> [FieldError] {
        do {
            _ = try parse(json)
            return []
        } catch let error as FeedbackValidationError {
            return error.errors
        } catch {
            return [FieldError(field: "?", reason: "\(error)")]
        }
    }

    @Test func fullSubmission() throws {
        let s = try Self.parse(
            #"""
            {"channel": "chat", "external_id": " chat-8812 ", "text": "  快递还没到  ",
             "customer": {"ref": "C-1001", "tier": "vip"}, "received_at": "2026-11-23T08:15:00Z"}
            """#)
        #expect(s.channel == .chat)
        #expect(s.externalId == "chat-8812")
        #expect(s.text == "快递还没到")
        #expect(s.customer == FeedbackCustomer(ref: "C-1001", tier: .vip))
        #expect(s.receivedAt == FeedloopJSON.parseTimestamp("2026-11-23T08:15:00Z"))
        #expect(s.validate().isEmpty)
    }

    @Test func customerContactFields() throws {
        let s = try Self.parse(
            #"""
            {"channel": "hotline", "text": "电话打不通", "customer": {"ref": " C-7 ", "tier": "new", "name": " 欧阳娜娜 ",
             "phone": "+8613812341234", "email": "nana@example.com.cn", "locale": "zh_hans_cn"}}
            """#)
        #expect(
            s.customer
                == FeedbackCustomer(
                    ref: "C-7", tier: .new, name: "欧阳娜娜", phone: "+8613812341234", email: "nana@example.com.cn", locale: "zh-Hans-CN"))
        #expect(s.validate().isEmpty)
    }

    @Test(arguments: [("en", "en"), ("EN-us", "en-US"), ("zh_cn", "zh-CN"), ("zh-hant-tw", "zh-Hant-TW"), ("es-419", "es-419")])
    func localesAreNormalized(raw: String, normalized: String) throws {
        #expect(try Self.parse(#"{"channel": "chat", "text": "hi", "customer": {"ref": "c", "locale": "\#(raw)"}}"#).customer?.locale == normalized)
    }

    @Test func contactErrorsNeverEchoTheValue() {
        let errors = Self.errors(#"{"channel": "chat", "text": "hi", "customer": {"ref": "c", "phone": "13999990000x", "email": "zhang@@example.com"}}"#)
        #expect(errors.map(\.field) == ["customer.phone", "customer.email"])
        #expect(!errors.contains { $0.reason.contains("1399999") || $0.reason.contains("zhang") })
    }

    @Test func minimalSubmission() throws {
        let s = try Self.parse(#"{"channel": "return_visit", "text": "ok", "customer": null, "external_id": ""}"#)
        #expect(s == FeedbackSubmission(channel: .returnVisit, text: "ok"))
    }

    @Test func channelAndTierAreCaseInsensitive() throws {
        let s = try Self.parse(#"{"channel": "EMAIL", "text": "hi", "customer": {"tier": "VIP"}}"#)
        #expect(s.channel == .email)
        #expect(s.customer?.tier == .vip)
    }

    @Test(arguments: [
        (#"{"text": "hi"}"#, "channel", "is required"),
        (
            #"{"channel": "fax", "text": "hi"}"#, "channel",
            "unknown channel \"fax\"; expected one of hotline, chat, store, email, social, survey, return_visit, research"
        ),
        (#"{"channel": 3, "text": "hi"}"#, "channel", "must be a string, got a number"),
        (#"{"channel": "chat"}"#, "text", "is required"),
        (#"{"channel": "chat", "text": "   \n "}"#, "text", "must not be empty"),
        (#"{"channel": "chat", "text": true}"#, "text", "must be a string, got a boolean"),
        (#"{"channel": "chat", "text": ["a"]}"#, "text", "must be a string, got an array"),
        (#"{"channel": "chat", "text": "a\u0000b"}"#, "text", "must not contain NUL characters"),
        (#"{"channel": "chat", "text": "hi", "external_id": 42}"#, "external_id", "must be a string, got a number"),
        (#"{"channel": "chat", "text": "hi", "customer": "vip"}"#, "customer", "must be an object with ref, tier, name, phone, email and locale"),
        (
            #"{"channel": "chat", "text": "hi", "customer": {"tier": "gold"}}"#, "customer.tier",
            "unknown tier \"gold\"; expected one of vip, regular, new"
        ),
        (#"{"channel": "chat", "text": "hi", "customer": {"ref": "c", "nickname": "x"}}"#, "customer.nickname", "is not a known field"),
        (
            #"{"channel": "chat", "text": "hi", "customer": {"name": "张三"}}"#, "customer.ref",
            "is required when name, phone, email or locale is given"
        ),
        (
            #"{"channel": "chat", "text": "hi", "customer": {"ref": "c", "phone": "138-1234-1234"}}"#, "customer.phone",
            "must be 5 to 20 digits with an optional leading +, such as +8613812341234"
        ),
        (
            #"{"channel": "chat", "text": "hi", "customer": {"ref": "c", "phone": "+"}}"#, "customer.phone",
            "must be 5 to 20 digits with an optional leading +, such as +8613812341234"
        ),
        (#"{"channel": "chat", "text": "hi", "customer": {"ref": "c", "phone": 13812341234}}"#, "customer.phone", "must be a string, got a number"),
        (
            #"{"channel": "chat", "text": "hi", "customer": {"ref": "c", "email": "zhang@localhost"}}"#, "customer.email",
            "must be an email address such as name@example.com"
        ),
        (
            #"{"channel": "chat", "text": "hi", "customer": {"ref": "c", "email": "a b@example.com"}}"#, "customer.email",
            "must be an email address such as name@example.com"
        ),
        (
            #"{"channel": "chat", "text": "hi", "customer": {"ref": "c", "email": "@example.com"}}"#, "customer.email",
            "must be an email address such as name@example.com"
        ),
        (
            #"{"channel": "chat", "text": "hi", "customer": {"ref": "c", "locale": "chinese"}}"#, "customer.locale",
            "must be a language tag such as zh-CN, zh-Hans-CN or en"
        ),
        (
            #"{"channel": "chat", "text": "hi", "customer": {"ref": "c", "locale": "zh-CN-x"}}"#, "customer.locale",
            "must be a language tag such as zh-CN, zh-Hans-CN or en"
        ),
        (#"{"channel": "chat", "text": "hi", "customer": {"ref": "c", "name": "a\u0007b"}}"#, "customer.name", "must not contain control characters"),
        (
            #"{"channel": "chat", "text": "hi", "received_at": "yesterday"}"#, "received_at",
            "must be an ISO 8601 timestamp such as 2026-11-23T08:15:00Z"
        ),
        (#"{"channel": "chat", "text": "hi", "extrnal_id": "1"}"#, "extrnal_id", "is not a known field"),
        (#"{"channel": "chat", "text": "hi""#, "body", "is not valid JSON (Unexpected end of file during JSON parse.)"),
        (#"["chat", "hi"]"#, "body", "must be a JSON object"),
        (#""hi""#, "body", "must be a JSON object"),
    ])
    func eachErrorIsNamed(json: String, field: String, reason: String) {
        #expect(Self.errors(json) == [FieldError(field: field, reason: reason)])
    }

    @Test func invalidJSONNamesTheBody() {
        let errors = Self.errors("{channel: chat}")
        #expect(errors.map(\.field) == ["body"])
        #expect(errors.first?.reason.hasPrefix("is not valid JSON") == true)
    }

    @Test func invalidUTF8() {
        #expect(throws: FeedbackValidationError(errors: [FieldError(field: "body", reason: "is not valid UTF-8")])) {
            try FeedbackSubmission.parse(json: [0x7B, 0xFF, 0x7D])
        }
    }

    @Test func allProblemsAreReportedAtOnceInFieldOrder() {
        let json = #"{"received_at": "soon", "text": "", "channel": "pigeon", "external_id": "\#(String(repeating: "x", count: 201))"}"#
        let errors = Self.errors(json)
        #expect(errors.map(\.field) == ["channel", "external_id", "text", "received_at"])
        #expect(errors[1].reason == "must be at most 200 characters, got 201")
    }

    @Test func textLengthIsCountedInCharactersAfterTrimming() throws {
        let exactly = String(repeating: "好", count: 10_000)
        #expect(try Self.parse(#"{"channel": "store", "text": "  \#(exactly)  "}"#).text.count == 10_000)
        #expect(
            Self.errors(#"{"channel": "store", "text": "\#(exactly)!"}"#)
                == [FieldError(field: "text", reason: "must be at most 10000 characters, got 10001")])
    }

    @Test func errorDescriptionIsOneLinePerProblem() {
        let error = FeedbackValidationError(
            errors: [FieldError(field: "channel", reason: "is required"), FieldError(field: "text", reason: "must not be empty")],
            line: 7
        )
        #expect(error.description == "line 7: channel: is required\nline 7: text: must not be empty")
        #expect(error.fields == ["channel", "text"])
        #expect(FieldError(field: "text", reason: "must not be empty").description == "text: must not be empty")
    }

    @Test func validateChecksAValueBuiltInCode() {
        let s = FeedbackSubmission(
            channel: .email, externalId: String(repeating: "e", count: 201), text: " ",
            customer: FeedbackCustomer(ref: "", tier: .new)
        )
        #expect(s.validate().map(\.field) == ["external_id", "text", "customer.ref"])
        #expect(FeedbackSubmission(channel: .email, text: "fine").validate().isEmpty)
    }

    @Test func encodesAsSnakeCase() throws {
        let s = FeedbackSubmission(channel: .returnVisit, externalId: "rv-1", text: "好", customer: FeedbackCustomer(tier: .vip))
        let json = String(decoding: try FeedloopJSON.encoder().encode(s), as: UTF8.self)
        #expect(json == #"{"channel":"return_visit","customer":{"tier":"vip"},"external_id":"rv-1","text":"好"}"#)
        #expect(try Self.parse(json) == s)
    }

    // MARK: CSV rows

    static let header = ["channel", "external_id", "text", "customer_ref", "customer_tier", "received_at"]

    @Test func csvRow() throws {
        let s = try FeedbackSubmission.parse(
            csvHeader: Self.header, row: ["hotline", "H-77", "电话一直占线", "C-9", "regular", "2026-11-23T08:15:00.250+08:00"]
        )
        #expect(s.channel == .hotline)
        #expect(s.externalId == "H-77")
        #expect(s.customer == FeedbackCustomer(ref: "C-9", tier: .regular))
        #expect(s.receivedAt == FeedloopJSON.parseTimestamp("2026-11-23T00:15:00.250Z"))
    }

    @Test func csvColumnsMayComeInAnyOrderAndEmptyCellsAreAbsent() throws {
        let s = try FeedbackSubmission.parse(csvHeader: ["\u{FEFF}Text", " CHANNEL ", "notes", "customer_tier"], row: ["hello", "store", "x", ""])
        #expect(s == FeedbackSubmission(channel: .store, text: "hello"))
    }

    @Test func csvErrorsUseColumnNamesAndTheLine() {
        let error = #expect(throws: FeedbackValidationError.self) {
            try FeedbackSubmission.parse(csvHeader: Self.header, row: ["fax", "", "", "", "gold", "x"], line: 12)
        }
        #expect(error?.fields == ["channel", "text", "customer_tier", "received_at"])
        #expect(error?.line == 12)
        #expect(error?.description.hasPrefix("line 12: channel: unknown channel \"fax\"") == true)
    }

    @Test func csvRowWithWrongFieldCount() {
        #expect(throws: FeedbackValidationError(errors: [FieldError(field: "row", reason: "has 2 fields but the header has 6")], line: 3)) {
            try FeedbackSubmission.parse(csvHeader: Self.header, row: ["chat", "x"], line: 3)
        }
    }

    @Test func csvCustomerColumns() throws {
        let header = Self.header + ["customer_name", "customer_phone", "customer_email", "customer_locale"]
        let s = try FeedbackSubmission.parse(
            csvHeader: header, row: ["chat", "c-1", "hi", "C-9", "", "", "John Smith", "13812341234", "john@example.com", "en"])
        #expect(s.customer == FeedbackCustomer(ref: "C-9", name: "John Smith", phone: "13812341234", email: "john@example.com", locale: "en"))
        let error = #expect(throws: FeedbackValidationError.self) {
            try FeedbackSubmission.parse(csvHeader: header, row: ["chat", "c-1", "hi", "", "", "", "", "12", "", ""], line: 4)
        }
        #expect(error?.fields == ["customer_ref", "customer_phone"])
    }

    // MARK: Batches

    static func batchErrors(_ json: String, maxItems: Int = 500) -> [FieldError] {
        do {
            _ = try FeedbackBatch.parse(json: Array(json.utf8), maxItems: maxItems)
            return []
        } catch let error as FeedbackValidationError {
            return error.errors
        } catch {
            return [FieldError(field: "?", reason: "\(error)")]
        }
    }

    @Test func batchOfValidItems() throws {
        let items = try FeedbackBatch.parse(
            json: Array(#"{"items": [{"channel": "chat", "text": "a"}, {"channel": "email", "external_id": "e-1", "text": "b"}]}"#.utf8), maxItems: 2)
        #expect(items == [FeedbackSubmission(channel: .chat, text: "a"), FeedbackSubmission(channel: .email, externalId: "e-1", text: "b")])
    }

    @Test func batchErrorsNameTheItemIndex() {
        let json = #"""
            {"items": [{"channel": "chat", "text": "ok"}, {"channel": "chat", "text": "ok"}, {"channel": "chat", "text": "ok"},
                       {"channel": "fax", "text": ""}, 7, {"channel": "chat", "text": "ok", "customer": {"ref": "c", "email": "x"}}]}
            """#
        #expect(
            Self.batchErrors(json) == [
                FieldError(
                    field: "items[3].channel",
                    reason: "unknown channel \"fax\"; expected one of hotline, chat, store, email, social, survey, return_visit, research"),
                FieldError(field: "items[3].text", reason: "must not be empty"),
                FieldError(field: "items[4]", reason: "must be a JSON object"),
                FieldError(field: "items[5].customer.email", reason: "must be an email address such as name@example.com"),
            ])
    }

    @Test(arguments: [
        (#"{"items": []}"#, "items", "must hold at least one item"),
        (#"{"items": {}}"#, "items", "must be an array of feedback objects"),
        (#"{}"#, "items", "is required"),
        (#"[]"#, "body", "must be a JSON object with an items array"),
        (#"{"items": [{"channel": "chat", "text": "a"}], "extra": 1}"#, "extra", "is not a known field"),
    ])
    func batchShapeErrors(json: String, field: String, reason: String) {
        #expect(Self.batchErrors(json) == [FieldError(field: field, reason: reason)])
    }

    @Test func batchOverTheLimitIsRefusedBeforeItsItemsAreRead() {
        #expect(throws: FeedbackBatchTooLarge(count: 3, limit: 2)) {
            try FeedbackBatch.parse(json: Array(#"{"items": [1, 2, 3]}"#.utf8), maxItems: 2)
        }
    }

    @Test func csvHeaderProblems() {
        #expect(
            FeedbackSubmission.validateCSVHeader(["external_id", "text", "text"]) == [
                FieldError(field: "header", reason: "is missing the column channel"),
                FieldError(field: "header", reason: "has the column text more than once"),
            ])
        #expect(FeedbackSubmission.validateCSVHeader(Self.header).isEmpty)
    }
}
