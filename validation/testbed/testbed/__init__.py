# SPDX-License-Identifier: GPL-3.0-or-later
"""The validation testbed: servers, callers, load generator and records (README.md beside it)."""
