"""Key custody (KF18 钥匙托管标准作业规程): the key register, developer key handover, custody
agreements (钥匙托管书), the lending register (钥匙领(借)用登记表), lock changes after a key is
lost, and the monthly key inventory. See docs/plugins/keys.md."""
