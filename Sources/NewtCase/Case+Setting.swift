import Foundation

extension Case {
    /// This case with `overrides` (`key=value`, as `--set` takes them) applied to its resolved
    /// values, typed and validated again.
    ///
    /// The way to change a loaded case: its resolved values (``resolvedYAML(header:)``, written
    /// into run plans, fingerprints and `case.yaml`) then say what the case is. Assigning a field
    /// directly leaves them saying what was read (``unwrittenChanges()`` finds such fields).
    public func setting(_ overrides: [String]) throws -> Case {
        var doc = CaseDocument(baseDirectory: baseDirectory)
        for (key, value) in resolved { doc.values[key] = value }
        for o in overrides { try doc.apply(override: o) }
        return try Case(document: doc)
    }

    /// The typed parts of the case that differ from what its resolved values type to: empty
    /// unless a field was assigned directly after loading (see ``setting(_:)``). A NaN equals a
    /// NaN here (an `auto` value).
    public func unwrittenChanges() throws -> [String] {
        let again = try setting([])
        func same<T: Hashable>(_ a: T, _ b: T) -> Bool { a == b || "\(a)" == "\(b)" }
        var out: [String] = []
        if name != again.name { out.append("name") }
        if !same(optics, again.optics) { out.append("optics") }
        if !same(source, again.source) { out.append("source") }
        if !same(mask, again.mask) || maskKind != again.maskKind || !same(rigorousSettings, again.rigorousSettings) { out.append("mask") }
        if pixel != again.pixel || profilePoints != again.profilePoints { out.append("imaging grid") }
        if !same(process, again.process) { out.append("process") }
        if !same(film, again.film) || !same(resist, again.resist) || biasToSize != again.biasToSize { out.append("resist") }
        if !same(noise, again.noise) { out.append("noise") }
        if !same(domain, again.domain) || fillFactor != again.fillFactor { out.append("resist.domain") }
        if !same(ensemble, again.ensemble) { out.append("ensemble") }
        if !same(slit, again.slit) { out.append("slit") }
        if criticalArea != again.criticalArea || clustering != again.clustering || !same(parametric, again.parametric) { out.append("yield") }
        if !same(scanner, again.scanner) || !same(business, again.business) { out.append("business") }
        return out
    }
}
