import AMQP
import FeedloopRuntime
import Testing

/// `FEEDLOOP_AMQP_URL` naming the nodes of a broker cluster.
@Suite struct AMQPClusterConfigurationTests {
    @Test func aCommaSeparatedListBecomesFallbacks() throws {
        let configuration = try FeedloopConfiguration(
            environment: Environment(["FEEDLOOP_AMQP_URL": "amqp://guest:guest@127.0.0.1:5701/%2f,amqp://guest:guest@127.0.0.1:5702/%2f"]))
        #expect(configuration.amqpURL.endpoints.map(\.port) == [5701, 5702])
        #expect(configuration.amqpURL.port == 5701)
    }

    @Test func aSingleURLStaysOneNode() throws {
        let configuration = try FeedloopConfiguration(environment: Environment(["FEEDLOOP_AMQP_URL": "amqp://feed:pw@rabbit:5673/prod"]))
        #expect(configuration.amqpURL.endpoints.count == 1)
        #expect(configuration.amqpURL.host == "rabbit")
    }

    @Test func aBadEntryNamesTheVariableAndTheEntry() {
        #expect {
            try FeedloopConfiguration(environment: Environment(["FEEDLOOP_AMQP_URL": "amqp://u:secret@a:5672/%2f,amqp://u:secret@b:0/%2f"]))
        } throws: { error in
            let text = "\(error)"
            return text.contains("FEEDLOOP_AMQP_URL") && text.contains("entry 2 of 2") && text.contains("invalid port") && !text.contains("secret")
        }
    }
}
