-- The tables `db push` creates from schema.prisma, written out by hand so the seed tests can run
-- before (or without) orm.push. Unqualified: apply with search_path set to the target schema.
CREATE TYPE "Plan" AS ENUM ('FREE', 'PRO', 'TEAM');
CREATE TYPE "UserRole" AS ENUM ('USER', 'ADMIN');
CREATE TYPE "DreamCategory" AS ENUM ('CREATIVE', 'SCIENCE', 'TECHNOLOGY', 'BUSINESS', 'HEALTH',
  'EDUCATION', 'ENTERTAINMENT', 'PERSONAL', 'OTHER');
CREATE TYPE "DreamStatus" AS ENUM ('ACTIVE', 'ACHIEVED', 'ARCHIVED');
CREATE TYPE "AiProvider" AS ENUM ('OPENAI', 'ANTHROPIC', 'GOOGLE', 'META', 'MISTRAL', 'XAI', 'DEEPSEEK');
CREATE TYPE "TestStatus" AS ENUM ('PENDING', 'COMPLETED', 'FAILED');
CREATE TYPE "Visibility" AS ENUM ('PRIVATE', 'UNLISTED', 'PUBLIC');
CREATE TYPE "CollaboratorRole" AS ENUM ('VIEWER', 'EDITOR', 'ADMIN');
CREATE TYPE "MessageRole" AS ENUM ('USER', 'ASSISTANT', 'SYSTEM');

CREATE TABLE users (
  id text PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  password_hash text NOT NULL,
  api_token_hash text,
  role "UserRole" NOT NULL DEFAULT 'USER',
  plan "Plan" NOT NULL DEFAULT 'FREE',
  monthly_budget numeric(10, 2) NOT NULL DEFAULT 20,
  created_at timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamptz(3) NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE UNIQUE INDEX users_api_token_hash_key ON users (api_token_hash);
CREATE INDEX idx_user_email_password ON users (email, password_hash);
CREATE INDEX idx_user_created_at ON users (created_at);
CREATE INDEX idx_user_plan ON users (plan);

CREATE TABLE dreams (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  title varchar(200) NOT NULL,
  description text NOT NULL,
  original_prompt text NOT NULL,
  category "DreamCategory" NOT NULL DEFAULT 'OTHER',
  tags text[],
  is_public boolean NOT NULL DEFAULT false,
  status "DreamStatus" NOT NULL DEFAULT 'ACTIVE',
  created_at timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamptz(3) NOT NULL
);
CREATE INDEX idx_dreams_user_recent ON dreams (user_id, created_at DESC);
CREATE INDEX idx_dreams_category ON dreams (category);
CREATE INDEX idx_dreams_public_recent ON dreams (is_public, created_at DESC);
CREATE INDEX idx_dreams_status ON dreams (status);
CREATE INDEX idx_dreams_tags_gin ON dreams USING gin (tags);

CREATE TABLE ai_tests (
  id text PRIMARY KEY,
  dream_id text NOT NULL REFERENCES dreams (id) ON DELETE CASCADE ON UPDATE CASCADE,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  provider "AiProvider" NOT NULL,
  model text NOT NULL,
  impossibility_score numeric(5, 2) NOT NULL,
  confidence numeric(5, 2) NOT NULL,
  reasoning text NOT NULL,
  duration_ms integer NOT NULL,
  tokens_used integer NOT NULL,
  cost numeric(10, 6) NOT NULL,
  status "TestStatus" NOT NULL DEFAULT 'COMPLETED',
  test_parameters jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_ai_tests_dream_timeline ON ai_tests (dream_id, created_at DESC);
CREATE INDEX idx_ai_tests_user_recent ON ai_tests (user_id, created_at DESC);
CREATE INDEX idx_ai_tests_provider_model ON ai_tests (provider, model);
CREATE INDEX idx_ai_tests_score ON ai_tests (impossibility_score);
CREATE INDEX idx_ai_tests_created_at ON ai_tests (created_at);
CREATE INDEX idx_test_parameters_gin ON ai_tests USING gin (test_parameters);

CREATE TABLE progress_logs (
  id text PRIMARY KEY,
  dream_id text NOT NULL REFERENCES dreams (id) ON DELETE CASCADE ON UPDATE CASCADE,
  average_impossibility numeric(5, 2) NOT NULL,
  best_score numeric(5, 2) NOT NULL,
  test_count integer NOT NULL,
  active_models text[],
  improvement_trend numeric(5, 2) NOT NULL DEFAULT 0,
  snapshot_data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_progress_time_series ON progress_logs (dream_id, created_at DESC);
CREATE INDEX idx_progress_avg_impossibility ON progress_logs (average_impossibility);
CREATE INDEX idx_progress_created_at ON progress_logs (created_at);
CREATE INDEX idx_progress_snapshot_gin ON progress_logs USING gin (snapshot_data);

CREATE TABLE ai_models (
  id text PRIMARY KEY,
  provider "AiProvider" NOT NULL,
  name text NOT NULL,
  display_name text NOT NULL,
  max_tokens integer NOT NULL,
  cost_per_1k_tokens numeric(10, 6) NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  capabilities text[],
  created_at timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX ai_models_provider_name_key ON ai_models (provider, name);
CREATE INDEX idx_models_is_active ON ai_models (is_active);
CREATE INDEX idx_models_capabilities_gin ON ai_models USING gin (capabilities);

CREATE TABLE projects (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  name varchar(200) NOT NULL,
  description text,
  visibility "Visibility" NOT NULL DEFAULT 'PRIVATE',
  project_type varchar(50) NOT NULL DEFAULT 'web',
  likes integer NOT NULL DEFAULT 0,
  forks integer NOT NULL DEFAULT 0,
  views integer NOT NULL DEFAULT 0,
  featured boolean NOT NULL DEFAULT false,
  created_at timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamptz(3) NOT NULL
);
CREATE INDEX idx_project_user_updated ON projects (user_id, updated_at DESC);
CREATE INDEX idx_project_user_created ON projects (user_id, created_at DESC);
CREATE INDEX idx_project_visibility_likes ON projects (visibility, likes DESC);
CREATE INDEX idx_project_visibility_forks ON projects (visibility, forks DESC);
CREATE INDEX idx_project_visibility_views ON projects (visibility, views DESC);
CREATE INDEX idx_project_visibility_created ON projects (visibility, created_at DESC);
CREATE INDEX idx_project_visibility_type_updated ON projects (visibility, project_type, updated_at DESC);
CREATE INDEX idx_project_featured_visibility_updated ON projects (featured, visibility, updated_at DESC);
CREATE INDEX idx_project_type ON projects (project_type);

CREATE TABLE project_collaborators (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  role "CollaboratorRole" NOT NULL DEFAULT 'VIEWER',
  created_at timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX idx_project_collaborator_project_user ON project_collaborators (project_id, user_id);
CREATE INDEX idx_project_collaborator_user ON project_collaborators (user_id);

CREATE TABLE project_files (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
  path varchar(500) NOT NULL,
  content text NOT NULL,
  language varchar(50) NOT NULL,
  size integer NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamptz(3) NOT NULL
);
CREATE UNIQUE INDEX idx_project_file_project_path ON project_files (project_id, path);
CREATE INDEX idx_project_file_project_updated ON project_files (project_id, updated_at DESC);
CREATE INDEX idx_project_file_language ON project_files (language);
CREATE INDEX idx_project_file_project_language ON project_files (project_id, language);

CREATE TABLE messages (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
  user_id text REFERENCES users (id) ON DELETE SET NULL ON UPDATE CASCADE,
  role "MessageRole" NOT NULL,
  content text NOT NULL,
  tokens integer NOT NULL DEFAULT 0,
  created_at timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_message_project_cursor ON messages (project_id, id);
CREATE INDEX idx_message_project_created_desc ON messages (project_id, created_at DESC);
CREATE INDEX idx_message_project_role_created ON messages (project_id, role, created_at);
CREATE INDEX idx_message_user ON messages (user_id);

CREATE TABLE token_usage (
  id bigserial PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  project_id text REFERENCES projects (id) ON DELETE SET NULL ON UPDATE CASCADE,
  endpoint varchar(100) NOT NULL,
  model varchar(100) NOT NULL,
  prompt_tokens integer NOT NULL,
  completion_tokens integer NOT NULL,
  total_tokens integer NOT NULL,
  cost numeric(10, 6) NOT NULL,
  "timestamp" timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_token_usage_user_timestamp_desc ON token_usage (user_id, "timestamp" DESC);
CREATE INDEX idx_token_usage_user_endpoint_timestamp ON token_usage (user_id, endpoint, "timestamp");
CREATE INDEX idx_token_usage_project ON token_usage (project_id);
CREATE INDEX idx_token_usage_timestamp ON token_usage ("timestamp");
CREATE INDEX idx_token_usage_model ON token_usage (model);

CREATE TABLE api_response_times (
  id bigserial PRIMARY KEY,
  operation varchar(200) NOT NULL,
  method varchar(10) NOT NULL,
  status_code integer NOT NULL,
  duration_ms double precision NOT NULL,
  user_id text REFERENCES users (id) ON DELETE SET NULL ON UPDATE CASCADE,
  "timestamp" timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_api_response_endpoint_time ON api_response_times (operation, "timestamp");
CREATE INDEX idx_api_response_user_time ON api_response_times (user_id, "timestamp");
CREATE INDEX idx_api_response_method ON api_response_times (method);
CREATE INDEX idx_api_response_status ON api_response_times (status_code);
CREATE INDEX idx_api_response_timestamp_brin ON api_response_times USING brin ("timestamp");
