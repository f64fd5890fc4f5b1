-- Starts the Stable Lens server as Neovim's LSP client (0.7: vim.lsp.start_client), opens one file,
-- waits until its diagnostics carry every expected rule code, and prints them as JSON lines.
-- Inputs come from the environment, since `-c luafile` takes no arguments.
local server = assert(os.getenv('STABLE_LENS_SERVER'), 'STABLE_LENS_SERVER not set')
local root = assert(os.getenv('STABLE_LENS_ROOT'), 'STABLE_LENS_ROOT not set')
local file = assert(os.getenv('STABLE_LENS_FILE'), 'STABLE_LENS_FILE not set')
local expect = vim.split(os.getenv('STABLE_LENS_EXPECT') or '', ',', { trimempty = true })
local timeout = tonumber(os.getenv('STABLE_LENS_TIMEOUT_MS') or '30000')

local function out(obj)
  io.stdout:write(vim.fn.json_encode(obj), '\n')
  io.stdout:flush()
end

-- The latest diagnostics per URI, as the server published them.
local latest = {}
local publishes = 0
local client_id = vim.lsp.start_client({
  name = 'stable-lens',
  cmd = { 'node', server, '--stdio' },
  root_dir = root,
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      publishes = publishes + 1
      latest[result.uri] = result.diagnostics
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
  },
  on_exit = function(code, signal)
    out({ event = 'exit', code = code, signal = signal })
  end,
})
if not client_id then
  out({ event = 'error', message = 'vim.lsp.start_client failed' })
  vim.cmd('cquit 2')
end

vim.cmd('filetype on')
vim.cmd('edit ' .. vim.fn.fnameescape(file))
vim.lsp.buf_attach_client(0, client_id)
local uri = vim.uri_from_bufnr(0)

-- True once the file's latest diagnostics include every expected code.
local function complete()
  local diags = latest[uri]
  if not diags then return false end
  local seen = {}
  for _, d in ipairs(diags) do seen[tostring(d.code)] = true end
  for _, code in ipairs(expect) do
    if not seen[code] then return false end
  end
  return true
end

local done = vim.wait(timeout, complete, 50)
out({ event = 'summary', uri = uri, complete = done, publishes = publishes })
for _, d in ipairs(latest[uri] or {}) do
  out({
    event = 'diagnostic',
    line = d.range.start.line + 1,
    column = d.range.start.character + 1,
    severity = d.severity,
    source = d.source,
    code = d.code,
    message = d.message,
  })
end

vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
vim.cmd(done and 'qall!' or 'cquit 1')
