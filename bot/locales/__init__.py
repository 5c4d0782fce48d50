"""The gettext catalogs: medbot.pot (from the code) and <lang>/LC_MESSAGES/medbot.po (and .mo)."""
