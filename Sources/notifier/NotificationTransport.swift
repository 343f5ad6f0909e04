/// One channel's way out. Called on the delivery thread with every claimed row of its channel;
/// it may block, and should work on the rows concurrently where the channel allows, so that a
/// slow recipient costs one timeout per claim rather than one per row.
protocol NotificationTransport: AnyObject {
    func deliver(_ rows: [PendingNotification]) -> [Int64: DeliveryOutcome]
}
