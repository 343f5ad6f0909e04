extension Migration {
    // PLACEHOLDER: owned by the helper building this part; replace the SQL.
    static let v004ClassifierModels = Migration(
        version: 4,
        name: "classifier_models",
        sql: """
            SELECT 1;
            """
    )
}
