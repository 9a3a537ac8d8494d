/// The drawn layout of a thin mask, at wafer scale.
public enum MaskPattern: Sendable, Hashable {
    /// A 1-D periodic array of lines (with optional assist features).
    case lines(LinePattern)
    /// A 2-D periodic clip of rectangles.
    case rectangles(RectangleClip)

    /// The pattern as a periodic 2-D clip (a line pattern becomes one pitch of full-height bars).
    public var clip: ClipGeometry {
        switch self {
        case let .rectangles(c):
            return ClipGeometry(sizeX: c.sizeX, sizeY: c.sizeY, rectangles: c.rectangles)
        case let .lines(l):
            // One period; the along-line size is arbitrary for a 1-D pattern: use the pitch.
            let bars = l.features.map { f -> Rectangle in
                l.orientation == .vertical
                    ? Rectangle(centerX: f.center, centerY: 0, width: f.width, height: l.pitch)
                    : Rectangle(centerX: 0, centerY: f.center, width: l.pitch, height: f.width)
            }
            return ClipGeometry(sizeX: l.pitch, sizeY: l.pitch, rectangles: bars)
        }
    }
}

/// Which way lines run on the wafer.
public enum LineOrientation: String, Sendable, Hashable, CaseIterable, Codable {
    /// Lines along y; the pitch (and the image profile) runs along x.
    case vertical
    /// Lines along x; the pitch runs along y.
    case horizontal

    /// Unit vector along the lines (the TE polarisation direction).
    public var lineDirection: SIMD2<Double> { self == .vertical ? SIMD2(0, 1) : SIMD2(1, 0) }
    /// Unit vector across the lines (the direction the diffraction orders spread).
    public var pitchDirection: SIMD2<Double> { self == .vertical ? SIMD2(1, 0) : SIMD2(0, 1) }
}

/// A sub-resolution assist feature (SRAF) placed symmetrically on both sides of every main line.
public struct AssistFeature: Sendable, Hashable, Codable {
    /// Width in nm (wafer scale).
    public var width: Double
    /// Distance in nm from the main line's centre to the assist's centre.
    public var offset: Double

    /// An assist of `width` nm centred `offset` nm from the main line.
    public init(width: Double, offset: Double) {
        self.width = width
        self.offset = offset
    }
}

/// A periodic line/space pattern with one main line per pitch, centred at 0.
public struct LinePattern: Sendable, Hashable {
    /// Pitch in nm.
    public var pitch: Double
    /// Target (drawn) line width in nm: the CD the print should reach.
    public var cd: Double
    /// Mask bias in nm: the line is drawn cd + bias wide (bias/2 per edge).
    public var bias: Double
    /// Line direction.
    public var orientation: LineOrientation
    /// Assist features, mirrored on both sides of the main line.
    public var assists: [AssistFeature]

    /// A line pattern; dimensions in nm.
    public init(pitch: Double, cd: Double, bias: Double = 0, orientation: LineOrientation = .vertical,
                assists: [AssistFeature] = []) {
        self.pitch = pitch
        self.cd = cd
        self.bias = bias
        self.orientation = orientation
        self.assists = assists
    }

    /// Width of the drawn main line, cd + bias.
    public var lineWidth: Double { cd + bias }

    /// Every feature of one period as (centre, width) in nm: the main line at 0, then assists at ±offset.
    public var features: [(center: Double, width: Double)] {
        var list = [(center: 0.0, width: lineWidth)]
        for a in assists {
            list.append((a.offset, a.width))
            list.append((-a.offset, a.width))
        }
        return list
    }
}

/// An axis-aligned rectangle, centre and size in nm.
public struct Rectangle: Sendable, Hashable, Codable {
    /// Centre x in nm.
    public var centerX: Double
    /// Centre y in nm.
    public var centerY: Double
    /// Size along x in nm.
    public var width: Double
    /// Size along y in nm.
    public var height: Double

    /// A rectangle centred at (centerX, centerY) with the given size, all in nm.
    public init(centerX: Double, centerY: Double, width: Double, height: Double) {
        self.centerX = centerX
        self.centerY = centerY
        self.width = width
        self.height = height
    }
}

/// A periodic 2-D clip of rectangles (the first is the feature whose CD is measured).
public struct RectangleClip: Sendable, Hashable {
    /// Clip period along x in nm.
    public var sizeX: Double
    /// Clip period along y in nm.
    public var sizeY: Double
    /// Non-overlapping rectangles (periodic images included).
    public var rectangles: [Rectangle]

    /// A clip of `rectangles` repeating with periods sizeX × sizeY nm.
    public init(sizeX: Double, sizeY: Double, rectangles: [Rectangle]) {
        self.sizeX = sizeX
        self.sizeY = sizeY
        self.rectangles = rectangles
    }

    /// The first pair of rectangles (indices) that overlap, periodic images included, or nil.
    public func firstOverlap() -> (Int, Int)? {
        func overlap1D(_ c1: Double, _ w1: Double, _ c2: Double, _ w2: Double, period: Double) -> Bool {
            var d = (c1 - c2).truncatingRemainder(dividingBy: period)
            if d < 0 { d += period }
            d = min(d, period - d)
            return d < (w1 + w2) / 2 - 1e-9
        }
        for i in 0..<rectangles.count {
            for j in (i + 1)..<max(i + 1, rectangles.count) {
                let a = rectangles[i], b = rectangles[j]
                if overlap1D(a.centerX, a.width, b.centerX, b.width, period: sizeX)
                    && overlap1D(a.centerY, a.height, b.centerY, b.height, period: sizeY) { return (i, j) }
            }
        }
        return nil
    }
}

/// A periodic clip as rectangles over a background: what 2-D imaging needs of a pattern.
public struct ClipGeometry: Sendable, Hashable {
    /// Period along x in nm.
    public var sizeX: Double
    /// Period along y in nm.
    public var sizeY: Double
    /// Feature rectangles.
    public var rectangles: [Rectangle]
}
