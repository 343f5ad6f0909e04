import AMQP
import Testing

@Suite struct AMQPURLTests {
    @Test func parsesEveryPart() throws {
        let url = try AMQPURL(parsing: "amqp://feed:s3cret@rabbit.local:5673/prod")
        #expect(url.user == "feed")
        #expect(url.password == "s3cret")
        #expect(url.host == "rabbit.local")
        #expect(url.port == 5673)
        #expect(url.vhost == "prod")
    }

    @Test func appliesDefaults() throws {
        let url = try AMQPURL(parsing: "amqp://localhost")
        #expect(url == AMQPURL(host: "localhost", port: 5672, user: "guest", password: "guest", vhost: "/"))
        #expect(try AMQPURL(parsing: "amqp://localhost/").vhost == "/")
        #expect(try AMQPURL(parsing: "amqp://").host == "127.0.0.1")
    }

    @Test func percentDecodes() throws {
        let url = try AMQPURL(parsing: "amqp://us%40er:p%3Ass%2Fw%40rd@h:1/%2f")
        #expect(url.user == "us@er")
        #expect(url.password == "p:ss/w@rd")
        #expect(url.vhost == "/")
        #expect(try AMQPURL(parsing: "amqp://h/%2Fteam%20a").vhost == "/team a")
        #expect(try AMQPURL(parsing: "amqp://u:p@h:1/%2F?heartbeat=10").vhost == "/")
    }

    @Test func parsesIPv6() throws {
        let url = try AMQPURL(parsing: "amqp://u:p@[::1]:5679/v")
        #expect(url.host == "::1")
        #expect(url.port == 5679)
        #expect(url.description == "amqp://u:***@[::1]:5679/v")
    }

    @Test func descriptionMasksPassword() throws {
        let url = try AMQPURL(parsing: "amqp://feed:topsecret@h:5672/%2f")
        #expect(url.description == "amqp://feed:***@h:5672/%2F")
        #expect(!url.description.contains("topsecret"))
        #expect(!"\(url)".contains("topsecret"))
        // The description parses back to the same place.
        let again = try AMQPURL(parsing: url.description)
        #expect(again.host == url.host && again.port == url.port && again.user == url.user && again.vhost == url.vhost)
    }

    @Test(arguments: ["http://h", "amqps://h", "h:5672", "amqp://h:0", "amqp://h:70000", "amqp://h:x", "amqp://[::1"])
    func rejectsInvalid(_ text: String) {
        #expect {
            try AMQPURL(parsing: text)
        } throws: { error in
            (error as? AMQPError)?.code == .invalidURL
        }
    }

    @Test func invalidURLErrorsNeverShowThePassword() {
        do {
            _ = try AMQPURL(parsing: "amqp://u:hunter2@h:notaport/")
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
    }
}
