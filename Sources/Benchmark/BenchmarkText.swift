/// Deterministic filler text for the benchmark: varied enough that the tokenizer does not collapse
/// it, long enough (about 3,000 tokens) for the 1,500-token history and the 512-token prompt.
enum BenchmarkText {
    static let history: String = {
        let things = ["lamp", "storm", "ship", "gull", "tide", "rock", "fog", "star", "bell", "rope", "wave", "moon"]
        let moods = ["quiet", "restless", "bright", "grey", "cold", "gentle", "wild", "strange"]
        let places = ["harbour", "reef", "cliffs", "northern bay", "old pier", "island", "channel", "dunes"]
        var sentences: [String] = []
        for night in 1...160 {
            let thing = things[night % things.count]
            let mood = moods[(night * 7) % moods.count]
            let place = places[(night * 5) % places.count]
            sentences.append(
                "On night \(night) the keeper climbed the stairs, trimmed the \(thing) and watched the \(mood) water near the \(place)."
            )
        }
        return sentences.joined(separator: " ")
    }()
}
