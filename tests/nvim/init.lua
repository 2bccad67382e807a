-- Headless Neovim as an editor user has it: open an entry, let glosslint's
-- language server check it, read the diagnostics back with vim.diagnostic.get,
-- fix the entry in the buffer, and wait until they are gone. Everything seen
-- is written to $GLOSSLINT_OUT for the Rust test (tests/lsp.rs) to assert on.
local out = vim.env.GLOSSLINT_OUT
local bin = vim.env.GLOSSLINT_BIN
local file = vim.env.GLOSSLINT_FILE
local report = {}

local function start(buf)
  local config = { name = "glosslint", cmd = { bin, "lsp" }, root_dir = vim.fn.getcwd() }
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = buf })
  end
  -- Neovim 0.7 (Debian 12) has no vim.lsp.start yet.
  local id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, id)
  return id
end

local function code(d)
  if d.code then
    return d.code
  end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code or ""
end

local function finish()
  vim.fn.writefile(report, out)
  vim.cmd("qa!")
end

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    local ok, err = pcall(function()
      vim.cmd("edit " .. vim.fn.fnameescape(file))
      local buf = vim.api.nvim_get_current_buf()
      start(buf)
      local found = vim.wait(30000, function()
        return #vim.diagnostic.get(buf) > 0
      end, 20)
      table.insert(report, "found " .. tostring(found))
      for _, d in ipairs(vim.diagnostic.get(buf)) do
        table.insert(report, string.format("diagnostic %d %d %d %d %d %s %s %s",
          d.lnum, d.col, d.end_lnum, d.end_col, d.severity, code(d), d.source or "",
          (d.message:gsub("\n", " "))))
      end
      -- Fix the reference in the buffer, unsaved: the server checks the text.
      local line = vim.api.nvim_buf_get_lines(buf, 3, 4, false)[1]
      local fixed = line:gsub("%[%[gradient checkpointing%]%]", "[[Activation Recomputation]]")
      vim.api.nvim_buf_set_lines(buf, 3, 4, false, { fixed })
      local cleared = vim.wait(30000, function()
        return #vim.diagnostic.get(buf) == 0
      end, 20)
      table.insert(report, "cleared " .. tostring(cleared))
    end)
    if not ok then
      table.insert(report, "error " .. tostring(err))
    end
    finish()
  end,
})
