extension Case {
    /// The case as YAML with every key at the value it resolved to (file, defaults and `--set`
    /// overrides), under `header` comment lines. Loading it gives the same case, value for value:
    /// each value is written as the text it was read from.
    public func resolvedYAML(header: [String]) -> String {
        ExampleCase.render(header: header, values: { spec in
            let value = resolved.first { $0.key == spec.key }!.value
            // A file named relative to the case's folder is written absolute (a double-quoted
            // YAML string), so the YAML loads the same case from any folder (a run's, a study's).
            if case .path = spec.kind, case let .scalar(file) = value, !file.isEmpty, file != "~", file != "null", !file.hasPrefix("/") {
                let absolute = baseDirectory.appendingPathComponent(file).standardizedFileURL.path
                return "\"" + absolute.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            }
            return value.flowText
        })
    }
}
