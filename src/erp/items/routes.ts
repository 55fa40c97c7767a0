import { z } from 'zod';
import { notFound, type Router } from '../../platform/index.ts';
import { bomOf } from '../boms/store.ts';
import { ItemChange, NewItem } from './model.ts';
import { changeItem, createItem } from './service.ts';
import { PageQuery, pageOf } from '../paging.ts';
import { findItem, itemHistory, itemOf, listItems, type ItemRow } from './store.ts';

const code = z.object({ code: z.string().min(1) });

export function itemRoutes(router: Router) {
  router.route({ method: 'POST', url: '/api/v1/erp/items', permission: 'erp.master.write', summary: 'Create an item', body: NewItem, status: 201, handler: async ({ body, uow }) => createItem(uow, body) });
  router.route({
    method: 'GET',
    url: '/api/v1/erp/items',
    permission: 'erp.master.read',
    summary: 'List items (?q= searches code and name; sort, limit, offset page)',
    query: PageQuery,
    handler: async ({ q, query }) => (Object.values(query).some((v) => v !== undefined) ? (await pageOf<ItemRow>(q, 'erp.items', '*', query)).map(itemOf) : listItems(q)),
  });
  router.route({
    method: 'GET',
    url: '/api/v1/erp/items/:code',
    permission: 'erp.master.read',
    summary: 'An item with its BOM in force and its history',
    params: code,
    handler: async ({ q, params }) => {
      const item = await findItem(q, params.code);
      if (!item) throw notFound('item', params.code);
      const bom = await bomOf(q, params.code);
      return { ...item, bomVersion: bom?.version ?? null, history: await itemHistory(q, params.code) };
    },
  });
  router.route({
    method: 'PATCH',
    url: '/api/v1/erp/items/:code',
    permission: 'erp.master.write',
    summary: 'Change an item (renames keep history)',
    params: code,
    body: ItemChange,
    handler: async ({ params, body, uow }) => changeItem(uow, params.code, body),
  });
}
