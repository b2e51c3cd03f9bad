"""Testing helpers for users of rocketchat-livechat."""
