import Testing

@testable import FeedloopCore

@Suite struct MaskingTests {
    @Test(arguments: [
        ("13812341234", "138****1234"),
        ("+8613812341234", "+861******1234"),
        ("02112345678", "021****5678"),
        ("12345678", "123*5678"),
        ("1234567", "*****67"),
        ("12", "**"),
        ("", ""),
    ])
    func phone(raw: String, masked: String) {
        #expect(PersonalDataMask.phone(raw) == masked)
    }

    @Test(arguments: [
        ("张三", "张*"),
        ("欧阳娜娜", "欧***"),
        ("John Smith", "J*** S****"),
        ("  Anne   Marie  ", "A*** M****"),
        ("张", "*"),
        ("J", "*"),
        ("李 Lei", "* L**"),
    ])
    func name(raw: String, masked: String) {
        #expect(PersonalDataMask.name(raw) == masked)
    }

    @Test(arguments: [
        ("zhang@example.com", "z****@example.com"),
        ("a@example.com", "a@example.com"),
        ("x.y+tag@sub.example.cn", "x******@sub.example.cn"),
        ("not-an-address", "**************"),
        ("@example.com", "************"),
    ])
    func email(raw: String, masked: String) {
        #expect(PersonalDataMask.email(raw) == masked)
    }

    @Test func maskedCustomerKeepsReferenceTierAndLocale() {
        let customer = FeedbackCustomer(ref: "C-1", tier: .vip, name: "张三", phone: "13812341234", email: "zhang@example.com", locale: "zh-CN")
        #expect(
            customer.masked
                == FeedbackCustomer(ref: "C-1", tier: .vip, name: "张*", phone: "138****1234", email: "z****@example.com", locale: "zh-CN"))
        #expect(FeedbackCustomer(ref: "C-2").masked == FeedbackCustomer(ref: "C-2"))
    }

    @Test func everyMiddleDigitIsMasked() {
        for phone in ["13812341234", "+8613899990000", "13000000000", "0085223456789"] {
            let masked = Array(PersonalDataMask.phone(phone))
            let digits = phone.hasPrefix("+") ? 1 : 0
            #expect(masked.count == phone.count)
            #expect(masked[(digits + 3)..<(masked.count - 4)].allSatisfy { $0 == "*" }, "\(String(masked))")
        }
    }
}
