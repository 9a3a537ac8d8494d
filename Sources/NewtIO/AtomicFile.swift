import Foundation
import NewtCore

/// Writes files atomically: the bytes go to a temporary file beside the target, which is then
/// renamed over it, so a reader never sees a partial file.
public enum AtomicFile {
    /// Writes `data` to `url`, creating parent directories.
    public static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
            try data.write(to: tmp)
            try moveIntoPlace(tmp, url)
        } catch let error as NewtError {
            throw error
        } catch {
            throw NewtError.file(path: url.path, reason: "cannot write (\(error.localizedDescription))")
        }
    }

    /// Renames the finished temporary file `tmp` over `url` (rename(2): atomic within one file
    /// system); removes `tmp` if that fails.
    public static func moveIntoPlace(_ tmp: URL, _ url: URL) throws {
        guard rename(tmp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw NewtError.file(path: url.path, reason: "cannot rename into place (\(reason))")
        }
    }

    /// Writes each named file into `directory`, one atomic write per file, and returns the names in order.
    @discardableResult
    public static func write(_ files: [(name: String, data: Data)], into directory: URL) throws -> [String] {
        for (name, data) in files { try write(data, to: directory.appendingPathComponent(name)) }
        return files.map(\.name)
    }

    /// Writes UTF-8 text to `url`.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
