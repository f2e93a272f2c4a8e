"""Loaded by every example process the harness starts (it is first on PYTHONPATH there).

Examples set no tuning options, so each would wait DBOS's default 1 s notification polling interval at every
get_event, get_result and shutdown. For speed only, this lowers that default to 0.01 s when a config does not
set it. Nothing else changes: the real dbos runs every example.
"""

try:
    import dbos._dbos as _dbos_module
except ImportError:  # an example process without dbos: nothing to tune
    _dbos_module = None

if _dbos_module is not None:
    _translate = _dbos_module.translate_dbos_config_to_config_file

    def _translate_with_fast_polling(config):
        if "notification_listener_polling_interval_sec" not in config:
            config = {**config, "notification_listener_polling_interval_sec": 0.01}
        return _translate(config)

    _dbos_module.translate_dbos_config_to_config_file = _translate_with_fast_polling
