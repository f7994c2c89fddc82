import pytest


@pytest.fixture(autouse=True)
def bundle_folder(settings, tmp_path):
    """Bundles are files: keep each test's in its own folder."""
    settings.DATA_DIR = tmp_path
