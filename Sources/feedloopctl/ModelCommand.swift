import ArgumentParser

/// `feedloopctl model`: train, evaluate, list and activate the classifier's statistical model.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Train, evaluate, list and activate classifier models.",
        discussion: """
            Training and evaluation files are CSV (with a header) or JSON lines, with the fields text, category \
            (or categories: a JSON array, or in CSV a list separated by |), sentiment (negative, neutral, positive; \
            empty or null = unlabeled) and optionally lang (zh, en) and id. The category model learns from rows \
            with exactly one category, the sentiment model from rows with a sentiment. Bad rows are reported \
            with their line and field, and nothing is stored.

            Models are stored, versioned, in the database (table classifier_models). Running classifier workers \
            poll for the active version and switch to a newly activated one without a restart. See \
            docs/CLASSIFIER.md.

            Examples:
              feedloopctl model train tickets-2024.jsonl --name "2024 tickets" --activate
              feedloopctl model eval holdout.csv
              feedloopctl model list
              feedloopctl model activate 3
            """,
        subcommands: [ModelTrainCommand.self, ModelEvalCommand.self, ModelListCommand.self, ModelActivateCommand.self]
    )
}
