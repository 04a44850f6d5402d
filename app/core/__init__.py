"""Infrastructure every layer may use: settings, database, security, i18n, logging, mail, web."""
