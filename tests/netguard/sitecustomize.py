"""Loaded at start-up by every Python process the tests start (PYTHONPATH): blocks the network."""

import os

if os.environ.get("ALLIANCE_BLOCK_NETWORK") == "1":
    import alliance_netguard

    alliance_netguard.install()
