import Foundation

/// Prints a command's result: one sorted-key JSON object with `--json`, else the summary text.
enum Output {
    static func emit(json: Bool, object: @autoclosure () -> Any, text: @autoclosure () -> String) throws {
        if json {
            let data = try JSONSerialization.data(withJSONObject: object(), options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(text())
        }
    }
}
