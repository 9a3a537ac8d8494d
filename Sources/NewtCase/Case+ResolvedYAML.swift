extension Case {
    /// The case as YAML with every key at the value it resolved to (file, defaults and `--set`
    /// overrides), under `header` comment lines. Loading it gives the same case, value for value:
    /// each value is written as the text it was read from.
    public func resolvedYAML(header: [String]) -> String {
        ExampleCase.render(header: header, values: { spec in resolved.first { $0.key == spec.key }!.value.flowText })
    }
}
