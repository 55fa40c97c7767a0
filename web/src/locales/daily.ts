/** The texts of the daily-work screens (orders entry, master data, purchasing, administration, pictures), en and zh-CN. */
export const dailyEn = {
  nav: { purchasing: 'Purchasing', master: 'Master data', trace: 'Genealogy', admin: 'Administration' },
  common: { save: 'Save', saved: 'Saved.', remove: 'Remove' },
  role: { device: 'device' },
  status: { open: 'Open', converted: 'Converted', received: 'Received', active: 'Active', disabled: 'Disabled' },
  form: { invalid: 'Please correct' },
  list: { search: 'Search', all: 'All', previous: 'Previous', next: 'Next', page: 'Page {{page}}' },
  master: {
    title: 'Master data', items: 'Items', customers: 'Customers', suppliers: 'Suppliers', warehouses: 'Warehouses', workCenters: 'Work centres', plants: 'Plants', routings: 'Routings',
    create: 'Create', saved: '{{code}} saved.', settings: 'Settings', reorder: 'Reorder settings', units: 'Units', stockUnit: 'stock unit',
    addUnit: 'Add unit', factor: 'Factor (in {{uom}})', calendar: 'Shift calendar', editCalendar: 'Shifts',
    f: {
      code: 'Code', name: 'Name', kind: 'Kind', uom: 'Unit', standardCost: 'Standard cost', leadTimeDays: 'Lead time (days)', reorderPoint: 'Reorder point',
      reorderQty: 'Reorder quantity', inspectOnReceipt: 'Inspect on receipt', plant: 'Plant', costPerHour: 'Machine rate / h', laborCostPerHour: 'Labour rate / h', supplyWarehouse: 'Supply warehouse',
    },
    kind: { raw: 'Raw material', semi: 'Semi-finished', finished: 'Finished good' },
  },
  bom: {
    title: 'Bill of materials', none: 'No BOM yet.', newVersion: 'New version', component: 'Component', qtyPer: 'Qty per unit', addComponent: 'Add component',
    save: 'Save as new version', version: 'Version', materialCost: 'Material cost per unit (standard)',
  },
  routing: {
    title: 'Routing', none: 'No routing yet.', operation: 'Operation', seq: 'Seq', name: 'Operation', setupMinutes: 'Setup (min)', minutesPerUnit: 'Min / unit',
    alternatives: 'Alternative work centres', setupFamily: 'Setup family', addOperation: 'Add operation', save: 'Save routing',
  },
  setups: { title: 'Changeovers', edit: 'Changeovers', from: 'From family', to: 'To family', minutes: 'Minutes', add: 'Add changeover' },
  calendar: { day: 'Day', from: 'From', to: 'To', addShift: 'Add shift', d1: 'Monday', d2: 'Tuesday', d3: 'Wednesday', d4: 'Thursday', d5: 'Friday', d6: 'Saturday', d7: 'Sunday' },
  import: {
    file: 'Spreadsheet (CSV or xlsx)', upload: 'Import', export: 'Export to xlsx', done: '{{count}} rows imported.',
    rejected: 'Nothing was imported: {{count}} rows have errors.', row: 'Row', field: 'Field', message: 'Error',
  },
  newOrder: {
    title: 'New sales order', unit: 'Unit', ctp: 'Earliest date (CTP)', addLine: 'Add line', save: 'Save order', afterDue: 'after due date', inTime: 'in time',
    unknownItem: 'Unknown item', limitedBy: { capacity: 'limited by capacity', material: 'limited by material' },
  },
  timeline: { replay: 'Replay' },
  gantt: { title: 'Operations (planned)' },
  purchasing: {
    title: 'Purchasing and stock', requisitions: 'Requisitions', orders: 'Purchase orders', stock: 'Stock moves', newRequisition: 'Raise requisition',
    needDate: 'Need date', reason: 'Reason', reasons: { reorder: 'Reorder point', mrp: 'MRP' }, convert: 'Convert to purchase order', supplier: 'Supplier',
    unitCost: 'Unit cost', order: 'Purchase order', lines: 'Lines', received: 'Received', receive: 'Receive', unit: 'Unit', stockUnit: 'stock unit', warehouse: 'Warehouse',
  },
  stock: {
    receipt: 'Receipt', transfer: 'Transfer between warehouses', adjustment: 'Adjustment', inspection: 'Incoming inspection',
    f: { itemCode: 'Item', qty: 'Quantity', uom: 'Unit', lot: 'Lot', warehouse: 'Warehouse', supplier: 'Supplier', unitCost: 'Unit cost', from: 'From warehouse', to: 'To warehouse', reason: 'Reason', result: 'Result', note: 'Note' },
    result: { pass: 'Pass (release)', fail: 'Fail (hold)' },
  },
  admin: {
    title: 'Administration', users: 'Users', keys: 'API keys', alerts: 'Alerts and webhooks', roles: 'Roles', scope: 'Scope', plants: 'Plants (comma-separated)',
    workCenters: 'Work centres (comma-separated)', newUser: 'New user', create: 'Create', created: '{{name}} created.', edit: 'Edit', editUser: 'Change a user', disabled: 'Disabled',
  },
  keys: {
    title: 'API keys', new: 'New API key', name: 'Name', create: 'Create key', shownOnce: 'Copy this key now: it is shown only once.', copy: 'Copy', copied: 'I have copied it',
    created: 'Created', active: 'Active', revoked: 'Revoked', revoke: 'Revoke', confirmRevoke: 'Revoke the key {{name}}? Devices using it are cut off.',
  },
  alertsAdmin: {
    routing: 'Routing: who is told', rules: 'Rules', newRule: 'Add rule', ruleName: 'Rule name', kinds: 'Alert kinds', allKinds: 'All kinds', role: 'Tell role',
    message: 'Message', webhooks: 'Webhooks', newWebhook: 'Add webhook', secretOnce: 'Signing secret (shown once):',
  },
  trace: {
    title: 'Lot genealogy', hint: 'Enter a lot to see where it came from and where it went.', backward: 'Backward (to suppliers)', forward: 'Forward (to customers)',
    direction: 'Direction', supplier: 'Supplier {{code}}', customerOrder: 'Sales order {{id}}', asList: 'As a list',
  },
};

type Loose<T> = { [K in keyof T]: T[K] extends string ? string : Loose<T[K]> };

export const dailyZh: Loose<typeof dailyEn> = {
  nav: { purchasing: '采购', master: '主数据', trace: '追溯', admin: '系统管理' },
  common: { save: '保存', saved: '已保存。', remove: '删除' },
  role: { device: '设备' },
  status: { open: '未结', converted: '已转换', received: '已收货', active: '启用', disabled: '已停用' },
  form: { invalid: '请更正' },
  list: { search: '搜索', all: '全部', previous: '上一页', next: '下一页', page: '第 {{page}} 页' },
  master: {
    title: '主数据', items: '物料', customers: '客户', suppliers: '供应商', warehouses: '仓库', workCenters: '工作中心', plants: '工厂', routings: '工艺路线',
    create: '新建', saved: '{{code}} 已保存。', settings: '设置', reorder: '再订货设置', units: '单位', stockUnit: '库存单位',
    addUnit: '添加单位', factor: '换算系数（{{uom}}）', calendar: '班次日历', editCalendar: '班次',
    f: {
      code: '编码', name: '名称', kind: '类型', uom: '单位', standardCost: '标准成本', leadTimeDays: '提前期（天）', reorderPoint: '再订货点',
      reorderQty: '再订货量', inspectOnReceipt: '收货检验', plant: '工厂', costPerHour: '机器费率/小时', laborCostPerHour: '人工费率/小时', supplyWarehouse: '线边仓',
    },
    kind: { raw: '原材料', semi: '半成品', finished: '成品' },
  },
  bom: {
    title: '物料清单', none: '尚无物料清单。', newVersion: '新版本', component: '子件', qtyPer: '单位用量', addComponent: '添加子件',
    save: '保存为新版本', version: '版本', materialCost: '单位材料成本（标准）',
  },
  routing: {
    title: '工艺路线', none: '尚无工艺路线。', operation: '工序', seq: '序号', name: '工序', setupMinutes: '准备（分钟）', minutesPerUnit: '分钟/件',
    alternatives: '替代工作中心', setupFamily: '换型族', addOperation: '添加工序', save: '保存工艺路线',
  },
  setups: { title: '换型矩阵', edit: '换型', from: '原换型族', to: '目标换型族', minutes: '分钟', add: '添加换型' },
  calendar: { day: '星期', from: '开始', to: '结束', addShift: '添加班次', d1: '星期一', d2: '星期二', d3: '星期三', d4: '星期四', d5: '星期五', d6: '星期六', d7: '星期日' },
  import: {
    file: '电子表格（CSV 或 xlsx）', upload: '导入', export: '导出为 xlsx', done: '已导入 {{count}} 行。',
    rejected: '未导入任何数据：{{count}} 行有错误。', row: '行', field: '字段', message: '错误',
  },
  newOrder: {
    title: '新建销售订单', unit: '单位', ctp: '最早可交期（CTP）', addLine: '添加行', save: '保存订单', afterDue: '晚于交期', inTime: '可按期',
    unknownItem: '未知物料', limitedBy: { capacity: '受产能限制', material: '受物料限制' },
  },
  timeline: { replay: '重放' },
  gantt: { title: '工序（计划）' },
  purchasing: {
    title: '采购与库存', requisitions: '请购单', orders: '采购订单', stock: '库存移动', newRequisition: '提交请购',
    needDate: '需求日期', reason: '原因', reasons: { reorder: '再订货点', mrp: 'MRP' }, convert: '转为采购订单', supplier: '供应商',
    unitCost: '单价', order: '采购订单', lines: '行', received: '已收货', receive: '收货', unit: '单位', stockUnit: '库存单位', warehouse: '仓库',
  },
  stock: {
    receipt: '入库', transfer: '仓库间调拨', adjustment: '库存调整', inspection: '来料检验',
    f: { itemCode: '物料', qty: '数量', uom: '单位', lot: '批次', warehouse: '仓库', supplier: '供应商', unitCost: '单价', from: '调出仓库', to: '调入仓库', reason: '原因', result: '结果', note: '备注' },
    result: { pass: '合格（放行）', fail: '不合格（冻结）' },
  },
  admin: {
    title: '系统管理', users: '用户', keys: 'API 密钥', alerts: '预警与 Webhook', roles: '角色', scope: '数据范围', plants: '工厂（逗号分隔）',
    workCenters: '工作中心（逗号分隔）', newUser: '新建用户', create: '新建', created: '已创建 {{name}}。', edit: '编辑', editUser: '修改用户', disabled: '已停用',
  },
  keys: {
    title: 'API 密钥', new: '新建 API 密钥', name: '名称', create: '创建密钥', shownOnce: '请立即复制此密钥：它只显示一次。', copy: '复制', copied: '我已复制',
    created: '创建时间', active: '有效', revoked: '已吊销', revoke: '吊销', confirmRevoke: '吊销密钥 {{name}}？使用它的设备将被断开。',
  },
  alertsAdmin: {
    routing: '路由：通知谁', rules: '规则', newRule: '添加规则', ruleName: '规则名称', kinds: '预警类型', allKinds: '全部类型', role: '通知角色',
    message: '消息', webhooks: 'Webhook', newWebhook: '添加 Webhook', secretOnce: '签名密钥（只显示一次）：',
  },
  trace: {
    title: '批次追溯', hint: '输入批次，查看它的来源与去向。', backward: '反向（追溯到供应商）', forward: '正向（追踪到客户）',
    direction: '方向', supplier: '供应商 {{code}}', customerOrder: '销售订单 {{id}}', asList: '列表显示',
  },
};
