import Foundation
import NewtCore
import NewtResist
import NewtMetrology
import NewtCase
import NewtEnsemble
import NewtRareEvents
import NewtCalibration

/// The study's answer: the lowest dose on a 1 mJ/cm² grid at which the bridge and break densities'
/// 95 % upper bounds meet their specs at nominal focus and the combined yield holds its target at
/// the 9 corners of the common process window, with go/no-go and its reasons.
///
/// Densities at a dose come from importance sampling (``ImportanceSampledDefects``), their 95 %
/// intervals widened by the calibration's model discrepancy (``ModelDiscrepancy``). The search:
/// 1. Screen: a short ensemble (2 lines × 1024 nm) at every `screenStep` mJ/cm² gives each kind's
///    Gaussian crossing rate ln ν_Rice(E) (``MarginCrossingRate``), smooth in dose.
/// 2. Anchor: importance sampling at a dose E_a gives c = ln D_IS(E_a) − ln ν_Rice(E_a); the
///    prediction D(E) = exp(ln ν_Rice(E) + c) (interpolated linearly in ln between screened doses)
///    names the next integer dose to test; each test re-anchors there.
/// 3. Bracket: tests stop when the lowest passing dose and the highest failing one are 1 mJ/cm²
///    apart (densities fall with dose, so the pair brackets the answer), or the range ends.
/// 4. Corners: at the answer, the 9 corners of the common window (its dose latitude and focus
///    range about the answer) get short ensembles: LWR for the parametric yield, and densities from
///    their Rice rates scaled by the answer's importance-sampled level (same c); negative-binomial
///    × parametric yield. If the worst corner's yield (95 % lower bound) misses the target, the
///    next doses up are tried (up to `cornerSteps`).
/// If no dose in the range meets the rule, the answer is the closest: the dose with the smallest
/// excess over spec, and the decision is no-go.
public struct DoseDecision: Sendable {
    /// What the decision is judged against.
    public struct Rule: Sendable {
        /// Density specs per cm² (95 % upper bounds must meet them).
        public var bridgeSpec = 0.5, breakSpec = 0.2
        /// Combined-yield target at every CPW corner (95 % lower bound), fraction.
        public var yieldTarget = 0.78
        /// Doses searched (mJ/cm²) and the screen's step.
        public var doses: ClosedRange<Int> = 20...80
        public var screenStep = 2
        /// Trials per screen and corner ensemble (2 lines × 1024 nm).
        public var screenTrials = 16
        /// Most importance-sampled doses, and most dose steps up for the corners.
        public var maxTests = 8, cornerSteps = 3
        /// Importance sampling per density.
        public var importance = ImportanceSettings()

        /// Defaults.
        public init() {}
    }

    /// One dose whose densities were importance-sampled.
    public struct Test: Sendable {
        /// Dose in mJ/cm².
        public var dose: Double
        /// Densities per cm², widened by the discrepancy (95 % intervals), and the raw estimates.
        public var bridge: Estimate, breaks: Estimate
        public var rawBridge: ImportanceSampledDefects, rawBreak: ImportanceSampledDefects
        /// The larger of the two upper bounds' ratios to their specs.
        public var excess: Double

        /// Whether both upper bounds meet their specs.
        public var passes: Bool { excess <= 1 }

        /// The widened density of `kind`.
        public func density(_ kind: DefectKind) -> Estimate { kind == .bridge ? bridge : breaks }
    }

    /// The window corners' offsets about the answer: dose factors and focus values (nm).
    public struct Window: Sendable {
        public var doseFactors: [Double], focuses: [Double]

        /// Corners of a CPW rectangle (doses in mJ/cm², focus in nm) about its own centre dose.
        public init(doseLow: Double, dose: Double, doseHigh: Double, focusLow: Double, focus: Double, focusHigh: Double) {
            doseFactors = [doseLow / dose, 1, doseHigh / dose]
            focuses = [focusLow, focus, focusHigh]
        }
    }

    /// The dose recommended (nil: no dose in the range meets the rule) and the closest otherwise.
    public let dose: Double?, closest: Test
    /// Nominal focus (nm).
    public let focus: Double
    /// Every importance-sampled dose, in dose order.
    public let tests: [Test]
    /// Screened doses and their Rice ln ν (per nm) per kind.
    public let screen: [(dose: Double, bridge: Double, breaks: Double)]
    /// Yield at the 9 corners about the answer (or the closest), focus-major.
    public let corners: [YieldReport]
    /// The rule applied and the discrepancy that widened the intervals.
    public let rule: Rule, discrepancy: ModelDiscrepancy
    /// Whether the resist was calibrated to data.
    public let calibrated: Bool
    /// What the data leave unconstrained (``DensityEvidence/caveat``), shown among the reasons.
    public var caveats: [String] = []
    /// Wall time in s.
    public let elapsed: Double

    /// The worst corner by its combined yield's lower bound.
    public var worstCorner: YieldReport? { corners.min { $0.combined.low < $1.combined.low } }

    /// The test at the answer (or the closest).
    public var answer: Test { dose.flatMap { d in tests.first { $0.dose == d } } ?? closest }

    /// Go when a dose meets the rule (densities and corner yields).
    public var go: Bool { dose != nil }

    /// Runs the search on case `c` (its resist already calibrated when `calibrated`), its ensembles
    /// and importance sampling on `backend`: the screen as one request, each tested dose's pair of
    /// densities as one, each corner set as one (on a farm, each a run of its own, planned when the
    /// search reaches it). Every backend gives the same answer.
    public static func run(_ c: Case, window: Window, rule: Rule, discrepancy: ModelDiscrepancy, calibrated: Bool,
                           backend: any RareEventBackend = LocalEnsembles(),
                           report: (String) -> Void = { _ in }) throws -> DoseDecision {
        let clock = Stopwatch()
        let focus = c.process.focus
        let small = try c.setting(["resist.domain.lines=2", "resist.domain.length_nm=\(min(c.domain.length, 1024))"])
        let rice = Rice(small: small, trials: rule.screenTrials, backend: backend)
        let screenDoses = stride(from: rule.doses.lowerBound, through: rule.doses.upperBound, by: rule.screenStep).map(Double.init)
        let screened = try rice.rates("decision_screen", screenDoses.enumerated().map { (0xD0_00 + $0.offset, $0.element, focus) })
        let screen = zip(screenDoses, screened).map { (dose: $0, bridge: $1.bridge, breaks: $1.breaks) }
        /// ln ν_Rice at any dose: linear in ln between screened doses (flat beyond the ends).
        func riceAt(_ e: Double) -> (bridge: Double, breaks: Double) {
            guard let hi = screen.firstIndex(where: { $0.dose >= e }) else { return (screen.last!.bridge, screen.last!.breaks) }
            guard hi > 0 else { return (screen[0].bridge, screen[0].breaks) }
            let a = screen[hi - 1], b = screen[hi], t = (e - a.dose) / (b.dose - a.dose)
            return (a.bridge + t * (b.bridge - a.bridge), a.breaks + t * (b.breaks - a.breaks))
        }
        var tests: [Int: Test] = [:]
        func test(_ e: Int) throws -> Test {
            if let t = tests[e] { return t }
            report(String(format: "decision: importance sampling at %d mJ/cm²", e))
            let point = OperatingPoint(dose: Double(e), focus: focus)
            let asked = [rule.importance.request(.bridge, at: point), rule.importance.request(.break, at: point)]
            let sampled = try backend.outcomes(EnsembleRequest(name: "decision_\(e)mj", case: c, points: []), importance: asked,
                                               progress: nil).importance
            let (b, k) = (sampled[0], sampled[1])
            let wb = discrepancy.widen(b.density), wk = discrepancy.widen(k.density)
            let excess = max(wb.high / rule.bridgeSpec, wk.high / rule.breakSpec)
            let t = Test(dose: Double(e), bridge: wb, breaks: wk, rawBridge: b, rawBreak: k, excess: excess)
            tests[e] = t
            return t
        }
        /// The lowest integer dose the prediction anchored at `t` says passes (nil: none in range).
        func predicted(from t: Test) -> Int? {
            let anchor = riceAt(t.dose)
            // Upper bounds scale with the value: keep the anchor's ratio of bound to value.
            let cb = log(max(t.bridge.high, 1e-300)) - anchor.bridge, ck = log(max(t.breaks.high, 1e-300)) - anchor.breaks
            return rule.doses.first { e in
                let r = riceAt(Double(e))
                return exp(r.bridge + cb) <= rule.bridgeSpec && exp(r.breaks + ck) <= rule.breakSpec
            }
        }
        let start = min(max(Int(c.process.dose.rounded()), rule.doses.lowerBound), rule.doses.upperBound)
        var cornerReports: [Int: [YieldReport]] = [:]
        func corners(at e: Int) throws -> [YieldReport] {
            if let r = cornerReports[e] { return r }
            let r = try Self.corners(c, at: try test(e), window: window, rice: rice)
            cornerReports[e] = r
            return r
        }
        let answer = try Self.search(rule: rule, start: start, test: { e in let t = try test(e); return (t.passes, t.excess) },
                                     predict: { e in predicted(from: tests[e]!) },
                                     worstCornerYield: { e in try corners(at: e).map(\.combined.low).min() ?? 0 })
        // Corners at the answer, or at the closest dose when none meets the rule.
        let closestDose = answer ?? Int(tests.values.min { $0.excess < $1.excess }!.dose)
        let answerCorners = try corners(at: closestDose)
        let sorted = tests.values.sorted { $0.dose < $1.dose }
        let closest = tests[closestDose]!
        return DoseDecision(dose: answer.map(Double.init), closest: closest, focus: focus, tests: sorted, screen: screen, corners: answerCorners,
                            rule: rule, discrepancy: discrepancy, calibrated: calibrated, elapsed: clock.elapsed)
    }

    /// The rule on any densities: the lowest dose in `rule.doses` whose test passes and whose worst
    /// corner yield meets the target (nil: none), testing as few doses as it can.
    ///
    /// `test(e)` says whether dose e meets the density specs (and by how much it misses them);
    /// `predict(e)` names the lowest passing dose a prediction anchored at the tested dose e
    /// expects; where it falls outside the bracket so far, the search bisects (or, when it names a
    /// dose already passing, tests the dose below). Densities are taken to fall with dose, so a
    /// passing dose and a failing one 1 mJ/cm² below it bracket the answer. Then the corners: while the worst corner's yield misses the
    /// target, the next dose up (if it passes) is tried, `rule.cornerSteps` times at most.
    static func search(rule: Rule, start: Int, test: (Int) throws -> (passes: Bool, excess: Double), predict: (Int) -> Int?,
                       worstCornerYield: (Int) throws -> Double) rethrows -> Int? {
        var lowestPass: Int? = nil, highestFail: Int? = nil, tested = Set<Int>()
        var next = start
        for _ in 0..<rule.maxTests {
            let t = try test(next)
            tested.insert(next)
            if t.passes { lowestPass = min(lowestPass ?? next, next) } else { highestFail = max(highestFail ?? next, next) }
            if let p = lowestPass, p == rule.doses.lowerBound || (highestFail.map { p - $0 <= 1 } ?? false) { break }
            let floor = (highestFail ?? rule.doses.lowerBound - 1) + 1, ceiling = (lowestPass ?? rule.doses.upperBound + 1) - 1
            guard floor <= ceiling else { break }
            // The prediction where it falls inside the bracket; where it says a passing dose is the
            // answer, the dose below it (to close the bracket); else bisect.
            let guess = predict(next) ?? rule.doses.upperBound
            if (floor...ceiling).contains(guess) && !tested.contains(guess) {
                next = guess
            } else if let p = lowestPass, guess >= p {
                next = max(floor, p - 1)
            } else {
                next = (floor + ceiling + 1) / 2
            }
            if tested.contains(next) { break }
        }
        guard var answer = lowestPass else { return nil }
        for step in 0...rule.cornerSteps {
            if try worstCornerYield(answer) >= rule.yieldTarget { return answer }
            guard step < rule.cornerSteps, answer < rule.doses.upperBound, try test(answer + 1).passes else { return nil }
            answer += 1
        }
        return nil
    }

    /// Short ensembles on the search's small domain (2 lines × ≤ 1024 nm) and their Rice rates.
    struct Rice {
        /// The small-domain case, trials per ensemble and where they run.
        var small: Case, trials: Int, backend: any RareEventBackend

        /// One request named `name`: per (RNG key, dose mJ/cm², focus nm), each kind's Rice ln ν
        /// (per nm) and the ensemble.
        func rates(_ name: String, _ points: [(key: Int, dose: Double, focus: Double)]) throws
            -> [(bridge: Double, breaks: Double, result: ResistPointResult)] {
            let asked = points.map { EnsemblePoint(point: $0.key, dose: $0.dose, focus: $0.focus, trials: trials) }
            let results = try backend.results(EnsembleRequest(name: name, case: small, points: asked), progress: nil)
            return results.map { ($0.crossing(.bridge).logRate, $0.crossing(.break).logRate, $0) }
        }
    }

    /// Yield at the 9 window corners about test `t`'s dose: the centre (key 0xC000) and the corners
    /// (0xC001…0xC009, focus-major) as one request.
    static func corners(_ c: Case, at t: Test, window: Window, rice: Rice) throws -> [YieldReport] {
        let focus = c.process.focus
        let spots = window.focuses.flatMap { f in window.doseFactors.map { (dose: t.dose * $0, focus: f) } }
        let asked = [(key: 0xC0_00, dose: t.dose, focus: focus)]
            + spots.enumerated().map { (key: 0xC0_01 + $0.offset, dose: $0.element.dose, focus: $0.element.focus) }
        let rates = try rice.rates("decision_corners_\(Int(t.dose))mj", asked)
        let centre = rates[0]
        // The answer's importance-sampled level over its Rice rate, per kind (value and bounds).
        func scaled(_ e: Estimate, _ logRice: Double, _ cornerRice: Double) -> Estimate {
            let f = exp(cornerRice - logRice)
            return Estimate(value: e.value * f, low: e.low * f, high: e.high * f)
        }
        return zip(spots, rates.dropFirst()).map { spot, r in
            var s = r.result.statistics
            s.bridgeDensity = scaled(t.bridge, centre.bridge, r.bridge)
            s.breakDensity = scaled(t.breaks, centre.breaks, r.breaks)
            return YieldReport(statistics: s, dose: spot.dose, focus: spot.focus, case: c)
        }
    }
}
