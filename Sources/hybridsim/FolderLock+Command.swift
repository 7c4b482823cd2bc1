// SPDX-License-Identifier: GPL-3.0-or-later
import Reporting

extension FolderLock {
    /// Takes the lock on `directory` for a command: another live holder ⇒ exit 1 with
    /// "another sweep is writing to DIR (pid N)".
    static func take(_ directory: String) throws -> FolderLock {
        do {
            return try FolderLock(directory: directory)
        } catch let held as FolderLock.Held {
            throw CommandFailure.failed("\(held)")
        } catch {
            throw CommandFailure.failed("cannot lock \(directory): \(error.localizedDescription)")
        }
    }
}
