import Foundation
import Testing

@testable import FeedloopCore

@Suite struct ImportMappingTests {
    @Test func mapsChineseColumnsAndFindsThemInTheHeader() throws {
        let mapping = try ImportMapping(arguments: ["text=内容", "external_id=工单号", "customer_ref = 客户编号"])
        let layout = try ImportCSVLayout(header: ["工单号", "内容", "客户编号", "Channel"], mapping: mapping, hasDefaultChannel: false)
        let values = try layout.values(["T-1", "无法登录", "C9", "chat"])
        #expect(values[.externalId] == "T-1")
        #expect(values[.text] == "无法登录")
        #expect(values[.customerRef] == "C9")
        #expect(values[.channel] == "chat")
        #expect(values[.customerTier] == nil)
        #expect(mapping.description == "external_id=工单号,text=内容,customer_ref=客户编号")
    }

    @Test func unknownFieldIsAUsageErrorListingTheKnownOnes() {
        #expect {
            try ImportMapping(arguments: ["body=内容"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("unknown field \"body\"") && text.contains(ImportField.knownNames) && text.contains("customer_phone")
        }
        #expect(throws: ImportMappingError.self) { try ImportMapping(arguments: ["text"]) }
        #expect(throws: ImportMappingError.self) { try ImportMapping(arguments: ["text=a", "text=b"]) }
        #expect(throws: ImportMappingError.self) { try ImportMapping(arguments: ["text="]) }
    }

    @Test func headerProblemsNameTheColumn() {
        let mapping = try! ImportMapping(arguments: ["text=内容"])
        #expect {
            try ImportCSVLayout(header: ["channel", "text"], mapping: mapping, hasDefaultChannel: false)
        } throws: { error in
            (error as? FeedbackValidationError)?.errors == [FieldError(field: "header", reason: "has no column 内容 (mapped to text by --map)")]
        }
        #expect(throws: FeedbackValidationError.self) {
            try ImportCSVLayout(header: ["text"], mapping: ImportMapping(), hasDefaultChannel: false)
        }
        #expect(throws: Never.self) { try ImportCSVLayout(header: ["text"], mapping: ImportMapping(), hasDefaultChannel: true) }
    }

    @Test func rowWidthMustMatchTheHeader() throws {
        let layout = try ImportCSVLayout(header: ["channel", "text"], mapping: ImportMapping(), hasDefaultChannel: false)
        #expect {
            try layout.values(["chat"])
        } throws: { error in
            (error as? FeedbackValidationError)?.errors == [FieldError(field: "row", reason: "has 1 fields but the header has 2")]
        }
    }

    @Test func jsonKeysByDefaultPathOrMapping() throws {
        let line = Array(#"{"content":"很慢","id":123,"customer":{"ref":"C1","tier":"vip"},"extra":true,"channel":"chat"}"#.utf8)
        let values = try ImportJSONRecord.values(line, mapping: ImportMapping(arguments: ["text=content", "external_id=id"]))
        #expect(values[.text] == "很慢")
        #expect(values[.externalId] == "123")
        #expect(values[.customerRef] == "C1")
        #expect(values[.customerTier] == "vip")
        #expect(throws: FeedbackValidationError.self) {
            try ImportJSONRecord.values(Array(#"{"text":5,"channel":"chat"}"#.utf8), mapping: ImportMapping())
        }
    }

    @Test func validatorUsesDefaultChannelAndReportsEveryField() throws {
        var values = ImportValues()
        values[.text] = " 退款太慢 "
        let submission = try ImportRowValidator.validate(values, defaultChannel: .hotline)
        #expect(submission.channel == .hotline)
        #expect(submission.text == "退款太慢")

        values[.text] = ""
        values[.customerTier] = "gold"
        #expect {
            try ImportRowValidator.validate(values, defaultChannel: nil)
        } throws: { error in
            (error as? FeedbackValidationError)?.fields == ["channel", "text", "customer_tier"]
        }
    }
}
