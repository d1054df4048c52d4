"""The deployment tests: the shipped files, and nginx started on them."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: starts real server processes (tens of seconds); still run by "
                   "./scripts/test and CI")
