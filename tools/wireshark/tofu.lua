-- Wireshark dissector for the tofu wire protocol (docs/WIRE.md): frames of a 16-byte binary header, a text-header
-- block and a body, back to back on a TCP stream. Frames that span segments are reassembled.
--
-- Use:  wireshark -X lua_script:tools/wireshark/tofu.lua -o tofu.ports:7099 capture.pcap
--       tshark    -X lua_script:tools/wireshark/tofu.lua -o tofu.ports:7099 -r capture.pcap -Y tofu
-- or copy this file into Wireshark's personal Lua plugins folder. See tools/wireshark/README.md.
--
-- Written for the Lua 5.2 of Wireshark 3.x/4.0 and the Lua 5.4 of Wireshark 4.2+ (no bit operators).

local tofu = Proto("tofu", "tofu message passing")

local OPCODES = {
    [0] = "REQUEST", [1] = "RESPONSE", [2] = "SIGNAL", [3] = "HELLO_REQUEST", [4] = "HELLO_RESPONSE",
    [5] = "BYE_REQUEST", [6] = "BYE_RESPONSE", [7] = "BYE_SIGNAL", [8] = "WELCOME_REQUEST", [9] = "WELCOME_RESPONSE",
}
local STATUSES = {
    [0] = "SUCCESS", [1] = "NOT_IMPLEMENTED_YET", [2] = "WRONG_ADDRESS", [3] = "NOT_ALLOWED", [4] = "NULL_MESSAGE",
    [5] = "INVALID_MESSAGE", [6] = "INVALID_OP_CODE", [7] = "INVALID_HEADERS_LEN", [8] = "INVALID_BODY_LEN",
    [9] = "INVALID_MORE_USAGE", [10] = "INVALID_CHANNEL_NUMBER", [11] = "INVALID_MCHN_GROUP",
    [12] = "INVALID_MESSAGE_ID", [13] = "INVALID_ADDRESS", [14] = "UDS_PATH_NOT_FOUND",
    [15] = "NOTIFICATION_DISABLED", [16] = "NOTIFICATION_FAILED", [17] = "PEER_DISCONNECTED",
    [18] = "COMMUNICATION_FAILED", [19] = "POOL_EMPTY", [20] = "ALLOCATION_FAILED", [21] = "RECEIVER_UPDATE",
    [22] = "CHANNEL_CLOSED", [23] = "SHUTDOWN_STARTED", [24] = "CONNECT_FAILED", [25] = "LISTEN_FAILED",
    [26] = "ACCEPT_FAILED", [27] = "SEND_FAILED", [28] = "RECV_FAILED", [29] = "SETSOCKOPT_FAILED",
    [30] = "PROCESSING_FAILED", [31] = "UNKNOWN_ERROR",
}
local HEADER_SIZE = 16

local f = tofu.fields
f.channel = ProtoField.uint16("tofu.channel", "Channel", base.DEC)
f.proto = ProtoField.uint8("tofu.proto", "Proto", base.HEX)
f.opcode = ProtoField.uint8("tofu.opcode", "Opcode", base.DEC, OPCODES, 0x0F)
f.origin = ProtoField.uint8("tofu.origin", "Origin", base.DEC, { [0] = "application", [1] = "engine" }, 0x10)
f.more = ProtoField.uint8("tofu.more", "More", base.DEC, { [0] = "last", [1] = "more follows" }, 0x20)
f.reserved = ProtoField.uint8("tofu.reserved", "Reserved", base.HEX, nil, 0xC0)
f.status = ProtoField.uint8("tofu.status", "Status", base.DEC, STATUSES)
f.id = ProtoField.uint64("tofu.id", "Message id", base.DEC)
f.thl = ProtoField.uint16("tofu.thl", "Text-header length", base.DEC)
f.bl = ProtoField.uint16("tofu.bl", "Body length", base.DEC)
f.headers = ProtoField.bytes("tofu.headers", "Text headers")
f.header = ProtoField.string("tofu.header", "Header")
f.header_name = ProtoField.string("tofu.header.name", "Name")
f.header_value = ProtoField.string("tofu.header.value", "Value")
f.body = ProtoField.bytes("tofu.body", "Body")

local e_unknown = ProtoExpert.new("tofu.opcode.unknown", "Opcode 10-15 does not exist (the stream may not be tofu)",
    expert.group.MALFORMED, expert.severity.ERROR)
local e_local = ProtoExpert.new("tofu.opcode.local", "Welcome opcodes are local to an engine and never travel",
    expert.group.PROTOCOL, expert.severity.WARN)
local e_bits = ProtoExpert.new("tofu.sender_bits", "A sender writes origin 0, status 0 and reserved bits 0",
    expert.group.PROTOCOL, expert.severity.WARN)
tofu.experts = { e_unknown, e_local, e_bits }

tofu.prefs.ports = Pref.range("TCP ports", "7099", "TCP ports that carry tofu frames", 65535)

-- Bits of the proto byte, without bit operators (Lua 5.2 has none, 5.4 has others).
local function bits(value, shift, count)
    return math.floor(value / 2 ^ shift) % 2 ^ count
end

-- Splits a text-header block by the receiving rules: lines end at CR LF; empty lines are skipped; a line splits at
-- its first ':'; the value is trimmed of spaces and tabs; a line without ':' has an empty value; an empty name ends
-- the list. Calls add(offset, length, name, value) for each header.
local function each_header(block, add)
    local pos = 1
    while pos <= #block do
        local cr = string.find(block, "\r\n", pos, true)
        local stop = cr and cr - 1 or #block
        local line = string.sub(block, pos, stop)
        if #line > 0 then
            local colon = string.find(line, ":", 1, true)
            if colon == 1 then
                return
            end
            local name = colon and string.sub(line, 1, colon - 1) or line
            local value = colon and string.gsub(string.sub(line, colon + 1), "^[ \t]*(.-)[ \t]*$", "%1") or ""
            add(pos - 1, #line, name, value)
        end
        pos = stop + 3
    end
end

local function frame_length(tvb, pinfo, offset)
    return HEADER_SIZE + tvb(offset + 12, 2):uint() + tvb(offset + 14, 2):uint()
end

local function dissect_frame(tvb, pinfo, tree)
    local proto = tvb(2, 1):uint()
    local opcode = bits(proto, 0, 4)
    local thl = tvb(12, 2):uint()
    local bl = tvb(14, 2):uint()
    local name = OPCODES[opcode] or ("OPCODE_" .. opcode)
    local summary = string.format("%s ch=%d id=%s", name, tvb(0, 2):uint(), tostring(tvb(4, 8):uint64()))
    if bits(proto, 5, 1) == 1 then
        summary = summary .. " more"
    end

    local t = tree:add(tofu, tvb(), "tofu " .. summary)
    t:add(f.channel, tvb(0, 2))
    local p = t:add(f.proto, tvb(2, 1))
    local op_item = p:add(f.opcode, tvb(2, 1))
    p:add(f.origin, tvb(2, 1))
    p:add(f.more, tvb(2, 1))
    p:add(f.reserved, tvb(2, 1))
    local status_item = t:add(f.status, tvb(3, 1))
    t:add(f.id, tvb(4, 8))
    t:add(f.thl, tvb(12, 2))
    t:add(f.bl, tvb(14, 2))

    if opcode >= 10 then
        op_item:add_proto_expert_info(e_unknown)
    elseif opcode >= 8 then
        op_item:add_proto_expert_info(e_local)
    end
    if bits(proto, 4, 1) ~= 0 or bits(proto, 6, 2) ~= 0 or tvb(3, 1):uint() ~= 0 then
        status_item:add_proto_expert_info(e_bits)
    end

    if thl > 0 then
        local block = tvb(HEADER_SIZE, thl)
        local h = t:add(f.headers, block)
        each_header(block:raw(), function(offset, length, hname, hvalue)
            local range = tvb(HEADER_SIZE + offset, length)
            local item = h:add(f.header, range, hname .. ": " .. hvalue)
            item:add(f.header_name, range, hname)
            item:add(f.header_value, range, hvalue)
        end)
    end
    if bl > 0 then
        t:add(f.body, tvb(HEADER_SIZE + thl, bl))
    end

    pinfo.cols.info:append(summary .. "  ")
    return tvb:len()
end

function tofu.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "TOFU"
    pinfo.cols.info:clear()
    dissect_tcp_pdus(tvb, tree, HEADER_SIZE, frame_length, dissect_frame, true)
    return tvb:len()
end

-- Register on the ports of the preference, and again whenever it changes; "Decode As" works on any port.
local tcp_port = DissectorTable.get("tcp.port")
local registered = nil
local function register_ports()
    if registered ~= nil and registered ~= "" then
        tcp_port:remove(registered, tofu)
    end
    registered = tostring(tofu.prefs.ports)
    if registered ~= "" then
        tcp_port:add(registered, tofu)
    end
end

function tofu.prefs_changed()
    register_ports()
end

register_ports()
tcp_port:add_for_decode_as(tofu)
