// SPDX-License-Identifier: GPL-3.0-or-later

/// The version of hybridsim, as `hybridsim --version` prints it and manifests record it.
public enum HybridsimVersion {
    public static let string = "0.1.0-dev"
}
