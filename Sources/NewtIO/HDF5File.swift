import Foundation
import NewtCore
import _CHDF5

/// An HDF5 file being written: float64 datasets under slash-separated paths (parent groups are
/// created as needed) and UTF-8 string attributes on any object, through the HDF5 C library.
///
/// Object times are not recorded, so the same content gives byte-identical files. Write with
/// ``write(to:_:)``, which builds the file beside its destination and renames it into place.
public final class HDF5Writer {
    private var file: hid_t
    private let path: String

    private init(path: String) throws {
        newt_h5_quiet()
        self.path = path
        file = newt_h5_create(path)
        guard file >= 0 else { throw NewtError.file(path: path, reason: "cannot create the HDF5 file") }
    }

    /// Writes an HDF5 file atomically: `body` fills it, then it is closed and renamed to `url`.
    public static func write(to url: URL, _ body: (HDF5Writer) throws -> Void) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let writer = try HDF5Writer(path: temp.path)
        do {
            try body(writer)
            try writer.close()
            try AtomicFile.moveIntoPlace(temp, url)
        } catch {
            try? writer.close()
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
    }

    /// Creates the group at `path` (and its parents).
    public func group(_ path: String) throws {
        guard newt_h5_make_group(file, path) >= 0 else { throw NewtError.file(path: self.path, reason: "HDF5: cannot create group \(path)") }
    }

    /// Writes a float64 dataset of `shape` (row-major; product = values.count) at `path`.
    public func dataset(_ path: String, values: [Double], shape: [Int]) throws {
        precondition(shape.reduce(1, *) == values.count && !shape.isEmpty && shape.count <= 8)
        let dims = shape.map { UInt64($0) }
        let status = values.withUnsafeBufferPointer { v in
            dims.withUnsafeBufferPointer { d in newt_h5_write_doubles(file, path, Int32(shape.count), d.baseAddress!, v.baseAddress!) }
        }
        guard status >= 0 else { throw NewtError.file(path: self.path, reason: "HDF5: cannot write dataset \(path)") }
    }

    /// Sets string attribute `name` on the object at `path` ("/" for the file).
    public func attribute(_ name: String, _ value: String, at path: String = "/") throws {
        guard newt_h5_write_string_attribute(file, path, name, value) >= 0 else {
            throw NewtError.file(path: self.path, reason: "HDF5: cannot write attribute \(name) on \(path)")
        }
    }

    private func close() throws {
        guard file >= 0 else { return }
        let status = newt_h5_close_file(file)
        file = -1
        guard status >= 0 else { throw NewtError.file(path: self.path, reason: "HDF5: cannot close \(path)") }
    }

    deinit { if file >= 0 { _ = newt_h5_close_file(file) } }
}

/// An HDF5 file opened for reading float64 datasets and string attributes.
public final class HDF5Reader {
    private let file: hid_t
    private let path: String

    /// Opens `url` read-only.
    public init(_ url: URL) throws {
        newt_h5_quiet()
        path = url.path
        file = newt_h5_open(url.path)
        guard file >= 0 else { throw NewtError.file(path: url.path, reason: "cannot open as HDF5") }
    }

    /// The dataset at `path`: its values (row-major) and shape.
    public func dataset(_ path: String) throws -> (values: [Double], shape: [Int]) {
        var dims = [UInt64](repeating: 0, count: 8)
        let rank = dims.withUnsafeMutableBufferPointer { newt_h5_dataset_shape(file, path, $0.baseAddress!) }
        guard rank >= 0 else { throw NewtError.file(path: self.path, reason: "HDF5: no dataset \(path)") }
        let shape = dims.prefix(Int(rank)).map { Int($0) }
        var values = [Double](repeating: 0, count: shape.reduce(1, *))
        let status = values.withUnsafeMutableBufferPointer { newt_h5_read_doubles(file, path, $0.baseAddress!) }
        guard status >= 0 else { throw NewtError.file(path: self.path, reason: "HDF5: cannot read \(path)") }
        return (values, shape)
    }

    /// String attribute `name` on the object at `path`.
    public func attribute(_ name: String, at path: String = "/") throws -> String {
        let n = newt_h5_string_attribute_length(file, path, name)
        guard n >= 0 else { throw NewtError.file(path: self.path, reason: "HDF5: no attribute \(name) on \(path)") }
        var buffer = [CChar](repeating: 0, count: n + 1)
        let status = buffer.withUnsafeMutableBufferPointer { newt_h5_read_string_attribute(file, path, name, $0.baseAddress!, n + 1) }
        guard status >= 0 else { throw NewtError.file(path: self.path, reason: "HDF5: cannot read attribute \(name) on \(path)") }
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self).trimmingCharacters(in: .init(charactersIn: "\0"))
    }

    deinit { _ = newt_h5_close_file(file) }
}
